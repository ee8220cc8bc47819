import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConnectorRegistry } from '../../src/connectors/connector-registry.js';
import { isConnectorError, type ConnectorError } from '../../src/connectors/connector-error.js';
import { linkedInMarker } from '../../src/connectors/linkedin/linkedin-connector.js';
import { actionRequest, startHarness, type Harness } from './connector-harness.js';

/** A token the sandbox accepts; the canary must never leak into errors. */
const TOKEN = 'AQcanary-3e7b-linkedin-secret';
const ORG = 'urn:li:organization:2414183';

async function failure(work: Promise<unknown>): Promise<ConnectorError> {
  try {
    await work;
  } catch (error) {
    if (isConnectorError(error)) return error;
    throw error;
  }
  throw new Error('expected a ConnectorError');
}

const post = (overrides = {}, options = {}) =>
  actionRequest({
    platform: 'linkedin',
    action: 'post',
    recipients: [],
    content: {
      title: 'Launch (beta)',
      text: `We shipped #herald ${Math.random()}`,
      link: 'https://acme.test/post',
      mediaUrls: [],
      variants: [],
    },
    options,
    ...overrides,
  });

const env = (extra: Record<string, string> = {}) => ({
  env: { LINKEDIN_ACCESS_TOKEN: TOKEN, LINKEDIN_AUTHOR_URN: ORG, ...extra },
});

describe('linkedin connector against its sandbox', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(['linkedin'], { retry: { maximumAttempts: 3 }, ...env() });
  });
  afterEach(async () => {
    await h.sandbox.close();
  });

  it('posts escaped commentary with the version headers and returns the public url', async () => {
    const linkedin = h.registry.get('linkedin');
    const request = post();
    const result = await linkedin.perform(request);
    expect(result.externalId).toMatch(/^urn:li:share:\d+$/);
    expect(result.outputs).toEqual({
      url: `https://www.linkedin.com/feed/update/${result.externalId!}/`,
      postId: result.externalId,
    });
    const [received] = h.sandbox.received('linkedin');
    expect(received?.headers).toMatchObject({
      authorization: `Bearer ${TOKEN}`,
      'linkedin-version': '202603',
      'x-restli-protocol-version': '2.0.0',
    });
    expect(received?.body).toMatchObject({
      author: ORG,
      visibility: 'PUBLIC',
      lifecycleState: 'PUBLISHED',
      distribution: { feedDistribution: 'MAIN_FEED' },
    });
    const commentary = (received?.body as { commentary: string }).commentary;
    expect(commentary.startsWith('Launch \\(beta\\)\n\nWe shipped \\#herald')).toBe(true);
    expect(commentary.endsWith(`\n\nhttps://acme.test/post\n\n${linkedInMarker(request)}`)).toBe(
      true,
    );
    expect(linkedin.health?.().state).toBe('ready');
  });

  it('reconciles a post dropped after commit by its marker instead of re-posting it', async () => {
    const linkedin = h.registry.get('linkedin');
    const request = post({}, { visibility: 'CONNECTIONS' });
    h.sandbox.inject('linkedin', { kind: 'dropAfterCommit' });
    expect((await failure(linkedin.perform(request))).code).toBe('unknown_outcome');
    const [delivery] = h.sandbox.deliveries('linkedin');
    await expect(linkedin.reconcile(request)).resolves.toEqual({
      status: 'done',
      result: {
        externalId: delivery?.messageId,
        outputs: {
          url: `https://www.linkedin.com/feed/update/${delivery!.messageId}/`,
          postId: delivery?.messageId,
        },
        accepted: 1,
      },
    });
    await expect(linkedin.reconcile(post())).resolves.toEqual({ status: 'not_found' });
    expect(h.sandbox.deliveries('linkedin')).toHaveLength(1);
  });

  it('answers unknown when the marker is not among the latest posts it may page through', async () => {
    const linkedin = h.registry.get('linkedin');
    const old = post();
    await linkedin.perform(old);
    for (let i = 0; i < 149; i++) await linkedin.perform(post());
    h.clock.advanceBy(86_400_000);
    for (let i = 0; i < 60; i++) await linkedin.perform(post());
    await expect(linkedin.reconcile(old)).resolves.toMatchObject({ status: 'unknown' });
    const recent = post();
    await linkedin.perform(recent);
    await expect(linkedin.reconcile(recent)).resolves.toMatchObject({ status: 'done' });
  });

  it('maps each LinkedIn error to its code without leaking the token', async () => {
    const linkedin = h.registry.get('linkedin');
    const duplicate = post();
    await linkedin.perform(duplicate);
    const cases = [
      [{ kind: 'versionSunset' }, 'version_sunset', 426, 'NONEXISTENT_VERSION'],
      [{ kind: '5xx', status: 500 }, 'unknown_outcome', 500, 'INTERNAL_SERVER_ERROR'],
      [{ kind: '429', retryAfterSeconds: 1, times: 3 }, 'rate_limited', 429, 'TOO_MANY_REQUESTS'],
      [{ kind: 'expiredToken' }, 'auth_expired', 401, 'EXPIRED_ACCESS_TOKEN'],
    ] as const;
    for (const [fault, code, status, platformCode] of cases) {
      h.sandbox.inject('linkedin', fault);
      const error = await failure(linkedin.perform(post()));
      expect([error.code, error.status, error.platformCode]).toEqual([code, status, platformCode]);
      expect(error.message).not.toContain('canary');
    }
    const sunset = await startHarness(['linkedin'], env({ LINKEDIN_VERSION: '202510' }));
    const retired = await failure(sunset.registry.get('linkedin').perform(post()));
    expect(retired.message).toContain('API version 202510 is retired; move to a LinkedIn-Version');
    await sunset.sandbox.close();
    const again = await startHarness(['linkedin'], env());
    await again.registry.get('linkedin').perform(duplicate);
    const dup = await failure(again.registry.get('linkedin').perform(duplicate));
    expect([dup.code, dup.status, dup.platformCode]).toEqual([
      'invalid_request',
      422,
      'DUPLICATE_POST',
    ]);
    await again.sandbox.close();
  });

  it('maps token, scope and author answers', async () => {
    const cases = [
      [{ LINKEDIN_ACCESS_TOKEN: 'bogus' }, 'auth_expired', 401, 'INVALID_ACCESS_TOKEN'],
      [{ LINKEDIN_ACCESS_TOKEN: 'AQnoscope' }, 'permission_denied', 403, 'ACCESS_DENIED'],
      [{ LINKEDIN_AUTHOR_URN: 'acme' }, 'invalid_request', 400, 'INVALID_ARGUMENT'],
    ] as const;
    for (const [extra, code, status, platformCode] of cases) {
      const other = await startHarness(['linkedin'], env(extra));
      const error = await failure(other.registry.get('linkedin').perform(post()));
      expect([error.code, error.status, error.platformCode]).toEqual([code, status, platformCode]);
      await other.sandbox.close();
    }
    const linkedin = h.registry.get('linkedin');
    const { externalId } = await linkedin.perform(post());
    const headers = {
      authorization: `Bearer ${TOKEN}`,
      'linkedin-version': '202603',
      'x-restli-protocol-version': '2.0.0',
    };
    const read = async (path: string, extra: Record<string, string> = headers) =>
      (await fetch(`${h.sandbox.urls.linkedin!}${path}`, { headers: extra })).status;
    expect(await read(`/rest/posts/${encodeURIComponent(externalId!)}`)).toBe(200);
    expect(await read('/rest/posts/urn%3Ali%3Ashare%3A1')).toBe(404);
    expect(await read('/rest/nothing')).toBe(404);
    expect(await read('/rest/posts/x', { authorization: `Bearer ${TOKEN}` })).toBe(400);
    expect(await read('/rest/posts/x', { ...headers, 'x-restli-protocol-version': '1.0.0' })).toBe(
      400,
    );
    expect(await read('/rest/posts/x', {})).toBe(401);
  });

  it('refreshes an expired token once when a refresh token is configured', async () => {
    const rotating = await startHarness(
      ['linkedin'],
      env({
        LINKEDIN_REFRESH_TOKEN: 'AQrefresh-canary',
        LINKEDIN_CLIENT_ID: 'client',
        LINKEDIN_CLIENT_SECRET: 'secret-canary',
      }),
    );
    const linkedin = rotating.registry.get('linkedin');
    await linkedin.perform(post());
    rotating.sandbox.inject('linkedin', { kind: 'expiredToken' });
    await linkedin.perform(post());
    const paths = rotating.sandbox.received('linkedin').map((r) => [r.path, r.status]);
    expect(paths).toEqual([
      ['/rest/posts', 201],
      ['/rest/posts', 401],
      ['/oauth/v2/accessToken', 200],
      ['/rest/posts', 201],
    ]);
    expect(rotating.sandbox.received('linkedin')[3]?.headers.authorization).toBe(
      'Bearer AQsandbox-refreshed-1',
    );
    await rotating.sandbox.close();
    expect(() =>
      createConnectorRegistry(env({ LINKEDIN_REFRESH_TOKEN: 'r' })).get('linkedin'),
    ).toThrow(/LINKEDIN_CLIENT_ID, LINKEDIN_CLIENT_SECRET/);
    expect(() => createConnectorRegistry({ env: {} }).get('linkedin')).toThrow(
      /LINKEDIN_ACCESS_TOKEN, LINKEDIN_AUTHOR_URN/,
    );
  });

  it('reads seeded daily share statistics per post and for the organisation, in LinkedIn units', async () => {
    const linkedin = h.registry.get('linkedin');
    const org = await linkedin.fetchMetrics!({ from: '2026-11-01', to: '2026-11-24' });
    expect(org).toHaveLength(24);
    expect(org[0]).toMatchObject({ date: '2026-11-01', entity: ORG, timeZone: 'UTC' });
    const stats = org[0]!.metrics;
    expect(Object.keys(stats).sort()).toEqual([
      'clickCount',
      'commentCount',
      'engagement',
      'impressionCount',
      'likeCount',
      'shareCount',
      'uniqueImpressionsCount',
    ]);
    expect(stats.engagement).toBeLessThan(1);
    const again = await linkedin.fetchMetrics!({ from: '2026-11-01', to: '2026-11-01' });
    expect(again[0]).toEqual(org[0]);
    const share = 'urn:li:share:1';
    const ugc = 'urn:li:ugcPost:2';
    const perPost = await linkedin.fetchMetrics!({
      from: '2026-08-01',
      to: '2026-11-24',
      entities: [share, ugc],
    });
    expect(perPost).toHaveLength(2 * 116);
    expect(new Set(perPost.map((r) => r.entity))).toEqual(new Set([share, ugc]));
    const tooOld = await failure(linkedin.fetchMetrics!({ from: '2025-01-01', to: '2025-01-02' }));
    expect([tooOld.code, tooOld.status]).toEqual(['invalid_request', 400]);
    h.sandbox.inject('linkedin', {
      kind: 'schemaDrift',
      field: 'elements.0.timeRange',
      renameTo: 'range',
    });
    const drift = await failure(linkedin.fetchMetrics!({ from: '2026-11-01', to: '2026-11-02' }));
    expect([drift.code, drift.message]).toEqual([
      'schema_drift',
      expect.stringContaining('elements.0.timeRange'),
    ]);
    h.sandbox.inject('linkedin', { kind: 'schemaDrift', field: 'header:x-restli-id' });
    expect((await failure(linkedin.perform(post()))).code).toBe('schema_drift');
  });

  it('rejects what LinkedIn cannot post before calling it', async () => {
    const linkedin = h.registry.get('linkedin');
    const bad = [
      post({ action: 'notify' }),
      post({ content: { mediaUrls: [], variants: [] } }),
      post({}, { visibility: 'EVERYONE' }),
    ];
    for (const request of bad) {
      expect((await failure(linkedin.perform(request))).code).toBe('invalid_request');
    }
    expect(h.sandbox.received('linkedin')).toHaveLength(0);
  });
});
