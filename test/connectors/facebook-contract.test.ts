import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConnectorRegistry } from '../../src/connectors/connector-registry.js';
import { isConnectorError, type ConnectorError } from '../../src/connectors/connector-error.js';
import { facebookMarker } from '../../src/connectors/facebook/facebook-connector.js';
import { actionRequest, startHarness, type Harness } from './connector-harness.js';

/** A Page token the sandbox accepts; the canaries must never leak into errors. */
const TOKEN = 'EAAcanary-4b8d-page-secret';
const APP_SECRET = 'app-secret-canary';
const PAGE = '104000000000001';

async function failure(work: Promise<unknown>): Promise<ConnectorError> {
  try {
    await work;
  } catch (error) {
    if (isConnectorError(error)) return error;
    throw error;
  }
  throw new Error('expected a ConnectorError');
}

let n = 0;
const post = (overrides = {}, options = {}) => {
  n++;
  return actionRequest({
    platform: 'facebook',
    action: 'post',
    recipients: [],
    content: { text: `Big news ${n}`, link: 'https://acme.test/p', mediaUrls: [], variants: [] },
    options,
    ...overrides,
  });
};

const env = (extra: Record<string, string> = {}) => ({
  env: { META_PAGE_ACCESS_TOKEN: TOKEN, META_PAGE_ID: PAGE, META_APP_SECRET: APP_SECRET, ...extra },
});

describe('facebook connector against its sandbox', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(['facebook'], { retry: { maximumAttempts: 3 }, ...env() });
  });
  afterEach(async () => {
    await h.sandbox.close();
  });

  it('posts to the Page feed with appsecret_proof and returns the public url', async () => {
    const facebook = h.registry.get('facebook');
    const request = post();
    const result = await facebook.perform(request);
    const postId = result.externalId!.split('_')[1]!;
    expect(result.outputs).toEqual({
      url: `https://www.facebook.com/${PAGE}/posts/${postId}`,
      postId: result.externalId,
    });
    const [received] = h.sandbox.received('facebook');
    expect(received?.path).toBe(`/v25.0/${PAGE}/feed`);
    expect(received?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(received?.query.appsecret_proof).toBe(
      createHmac('sha256', APP_SECRET).update(TOKEN).digest('hex'),
    );
    expect(received?.body).toEqual({
      message: `Big news ${n}\n\n${facebookMarker(request)}`,
      link: 'https://acme.test/p',
    });
    expect(facebook.health?.().state).toBe('ready');
  });

  it('reconciles a post dropped after commit through the feed, and a scheduled one through scheduled_posts', async () => {
    const facebook = h.registry.get('facebook');
    const request = post();
    h.sandbox.inject('facebook', { kind: 'dropAfterCommit' });
    expect((await failure(facebook.perform(request))).code).toBe('unknown_outcome');
    const [delivery] = h.sandbox.deliveries('facebook');
    await expect(facebook.reconcile(request)).resolves.toMatchObject({
      status: 'done',
      result: { externalId: delivery?.messageId },
    });
    await expect(facebook.reconcile(post())).resolves.toEqual({ status: 'not_found' });
    const at = Math.floor(h.clock.now() / 1000) + 3600;
    const scheduled = post(
      { content: { link: 'https://acme.test/l', mediaUrls: [], variants: [] } },
      { scheduled_publish_time: at },
    );
    const result = await facebook.perform(scheduled);
    expect(h.sandbox.received('facebook').at(-1)?.body).toEqual({
      message: facebookMarker(scheduled),
      link: 'https://acme.test/l',
      published: 'false',
      scheduled_publish_time: String(at),
    });
    await expect(facebook.reconcile(scheduled)).resolves.toEqual({ status: 'done', result });
    h.clock.advanceBy(2 * 3_600_000);
    await expect(facebook.reconcile(scheduled)).resolves.toEqual({ status: 'done', result });
    const never = post({}, { scheduled_publish_time: at });
    await expect(facebook.reconcile(never)).resolves.toEqual({ status: 'not_found' });
    expect(h.sandbox.deliveries('facebook')).toHaveLength(2);
  });

  it('follows paging.next cursors and answers unknown past its budget', async () => {
    const facebook = h.registry.get('facebook');
    const old = post();
    await facebook.perform(old);
    for (let i = 0; i < 150; i++) await facebook.perform(post());
    await expect(facebook.reconcile(old)).resolves.toMatchObject({ status: 'done' });
    h.clock.advanceBy(3_600_000);
    for (let i = 0; i < 160; i++) await facebook.perform(post());
    await expect(facebook.reconcile(old)).resolves.toMatchObject({ status: 'unknown' });
  });

  it('maps Graph error codes answered with HTTP 400 to their codes without leaking secrets', async () => {
    const facebook = h.registry.get('facebook');
    const duplicate = post();
    await facebook.perform(duplicate);
    const cases = [
      [{ kind: 'versionSunset' }, 'version_sunset', 400, '12'],
      [{ kind: '5xx', status: 500 }, 'unknown_outcome', 500, '1'],
      [{ kind: '429', retryAfterSeconds: 60, times: 3 }, 'rate_limited', 400, '32'],
      [{ kind: 'expiredToken' }, 'auth_expired', 400, '190/463'],
    ] as const;
    for (const [fault, code, status, platformCode] of cases) {
      h.sandbox.inject('facebook', fault);
      const error = await failure(facebook.perform(post()));
      expect([error.code, error.status, error.platformCode]).toEqual([code, status, platformCode]);
      expect(error.message).not.toContain('canary');
    }
    h.sandbox.inject('facebook', { kind: 'versionSunset' });
    expect((await failure(facebook.perform(post()))).message).toContain(
      'API version v25.0 is retired; move to a Graph API version',
    );
    const dup = await failure(facebook.perform(duplicate));
    expect([dup.code, dup.platformCode]).toEqual(['conflict', '506']);
    const badTime = await failure(facebook.perform(post({}, { scheduled_publish_time: 1 })));
    expect([badTime.code, badTime.platformCode]).toEqual(['invalid_request', '100']);
    h.sandbox.inject('facebook', { kind: '5xx', status: 503 });
    await expect(facebook.reconcile(post())).resolves.toEqual({ status: 'not_found' });
    h.sandbox.inject('facebook', { kind: '5xx', status: 502, times: 3 });
    const html = await failure(facebook.reconcile(post()));
    expect([html.code, html.status, html.platformCode]).toEqual(['transient', 502, undefined]);
    const missing = await failure(
      facebook.fetchMetrics!({ from: '2026-11-01', to: '2026-11-01', entities: [`${PAGE}_1`] }),
    );
    expect([missing.code, missing.platformCode]).toEqual(['not_found', '100/33']);
  });

  it('maps token and permission answers', async () => {
    const cases = [
      [{ META_PAGE_ACCESS_TOKEN: 'bogus' }, 'auth_expired', '190'],
      [{ META_PAGE_ACCESS_TOKEN: 'EAAnoperm' }, 'permission_denied', '200'],
    ] as const;
    for (const [extra, code, platformCode] of cases) {
      const other = await startHarness(['facebook'], env(extra));
      const error = await failure(other.registry.get('facebook').perform(post()));
      expect([error.code, error.platformCode]).toEqual([code, platformCode]);
      await other.sandbox.close();
    }
    expect(() => createConnectorRegistry({ env: {} }).get('facebook')).toThrow(
      /META_PAGE_ACCESS_TOKEN, META_PAGE_ID, META_APP_SECRET/,
    );
    const base = h.sandbox.urls.facebook!;
    const proof = createHmac('sha256', APP_SECRET).update(TOKEN).digest('hex');
    const call = async (path: string, init: RequestInit = {}) => {
      const response = await fetch(`${base}${path}`, init);
      return ((await response.json()) as { error?: { code: number } }).error?.code;
    };
    expect(await call(`/v25.0/${PAGE}/feed?access_token=${TOKEN}`)).toBe(100);
    expect(await call(`/v25.0/${PAGE}/photos?access_token=${TOKEN}&appsecret_proof=${proof}`)).toBe(
      100,
    );
    expect(
      await call(`/v25.0/${PAGE}/insights?access_token=${TOKEN}&appsecret_proof=${proof}`),
    ).toBe(3001);
    expect(
      await call(
        `/v25.0/${PAGE}/insights?metric=page_media_view&since=2026-11-02&until=2026-11-01&access_token=${TOKEN}&appsecret_proof=${proof}`,
      ),
    ).toBe(100);
    expect(
      await call(`/v25.0/${PAGE}/insights?access_token=${TOKEN}&appsecret_proof=${proof}`, {
        method: 'POST',
      }),
    ).toBe(100);
    expect(
      await call(`/v25.0/${PAGE}/feed?access_token=${TOKEN}&appsecret_proof=${proof}`, {
        method: 'POST',
      }),
    ).toBe(100);
  });

  it('reads daily Page insights labelled by the Pacific day and lifetime post insights', async () => {
    const facebook = h.registry.get('facebook');
    const rows = await facebook.fetchMetrics!({ from: '2026-01-01', to: '2026-06-30' });
    expect(rows).toHaveLength(181);
    expect(rows[0]).toMatchObject({
      date: '2026-01-01',
      entity: PAGE,
      timeZone: 'America/Los_Angeles',
    });
    expect(rows.find((r) => r.date === '2026-03-08')).toBeDefined();
    expect(rows.find((r) => r.date === '2026-06-30')).toBeDefined();
    expect(Object.keys(rows[0]!.metrics).sort()).toEqual([
      'page_follows',
      'page_media_view',
      'page_post_engagements',
    ]);
    const again = await facebook.fetchMetrics!({ from: '2026-01-01', to: '2026-01-01' });
    expect(again).toEqual([rows[0]]);
    const requests = h.sandbox.received('facebook').filter((r) => r.path.endsWith('/insights'));
    expect(requests.map((r) => [r.query.since, r.query.until]).slice(0, 3)).toEqual([
      ['2026-01-01', '2026-04-01'],
      ['2026-04-01', '2026-06-30'],
      ['2026-06-30', '2026-07-01'],
    ]);
    const { externalId } = await facebook.perform(post());
    const perPost = await facebook.fetchMetrics!({
      from: '2026-11-25',
      to: '2026-11-25',
      entities: [externalId!],
    });
    expect(perPost).toEqual([
      {
        date: '2026-11-25',
        entity: externalId,
        metrics: {
          post_media_view: expect.any(Number),
          post_total_media_view_unique: expect.any(Number),
          post_clicks: expect.any(Number),
        },
        timeZone: 'America/Los_Angeles',
      },
    ]);
    h.sandbox.inject('facebook', {
      kind: 'schemaDrift',
      field: 'data.0.values',
      renameTo: 'points',
    });
    const drift = await failure(facebook.fetchMetrics!({ from: '2026-01-01', to: '2026-01-02' }));
    expect([drift.code, drift.message]).toEqual([
      'schema_drift',
      expect.stringContaining('data.0.values'),
    ]);
  });

  it('rejects what a Page cannot post before calling Graph', async () => {
    const facebook = h.registry.get('facebook');
    const bad = [
      post({ action: 'notify' }),
      post({ content: { mediaUrls: [], variants: [] } }),
      post({}, { scheduled_publish_time: 'tomorrow' }),
    ];
    for (const request of bad) {
      expect((await failure(facebook.perform(request))).code).toBe('invalid_request');
    }
    expect(h.sandbox.received('facebook')).toHaveLength(0);
  });
});
