import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConnectorRegistry } from '../../src/connectors/connector-registry.js';
import { isConnectorError, type ConnectorError } from '../../src/connectors/connector-error.js';
import { xMarker } from '../../src/connectors/x/x-connector.js';
import { actionRequest, startHarness, type Harness } from './connector-harness.js';

/** A user token the sandbox accepts; the canary must never leak into errors. */
const TOKEN = 'x-user-canary-91c2-secret';

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
const post = (overrides = {}) => {
  n++;
  return actionRequest({
    platform: 'x',
    action: 'post',
    recipients: [],
    content: { text: `Launch day ${n}`, link: 'https://acme.test/p', mediaUrls: [], variants: [] },
    ...overrides,
  });
};

const env = (extra: Record<string, string> = {}) => ({ env: { X_ACCESS_TOKEN: TOKEN, ...extra } });

describe('x connector against its sandbox', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(['x'], { retry: { maximumAttempts: 3 }, ...env() });
  });
  afterEach(async () => {
    await h.sandbox.close();
  });

  it('posts with a user token and a marker, returning the public url', async () => {
    const x = h.registry.get('x');
    const request = post();
    const result = await x.perform(request);
    expect(result.outputs).toEqual({
      url: `https://x.com/heraldhq/status/${result.externalId!}`,
      postId: result.externalId,
    });
    const created = h.sandbox.received('x').find((r) => r.method === 'POST');
    expect(created?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(created?.body).toEqual({
      text: `Launch day ${n}\n\nhttps://acme.test/p\n\n${xMarker(request)}`,
    });
    await x.perform(post());
    expect(h.sandbox.received('x').filter((r) => r.path === '/2/users/me')).toHaveLength(1);
    expect(x.health?.().state).toBe('ready');
  });

  it('reconciles a post dropped after commit by its marker instead of re-posting it', async () => {
    const x = h.registry.get('x');
    const request = post();
    h.sandbox.inject('x', { kind: 'dropAfterCommit', path: '/2/tweets' });
    expect((await failure(x.perform(request))).code).toBe('unknown_outcome');
    const [delivery] = h.sandbox.deliveries('x');
    await expect(x.reconcile(request)).resolves.toMatchObject({
      status: 'done',
      result: { externalId: delivery?.messageId },
    });
    await expect(x.reconcile(post())).resolves.toEqual({ status: 'not_found' });
    const again = await failure(x.perform(request));
    expect([again.code, again.status]).toEqual(['conflict', 403]);
    expect(h.sandbox.deliveries('x')).toHaveLength(1);
  });

  it('pages the timeline and answers unknown past its budget', async () => {
    const x = h.registry.get('x');
    const old = post();
    await x.perform(old);
    for (let i = 0; i < 100; i++) await x.perform(post());
    await expect(x.reconcile(old)).resolves.toMatchObject({ status: 'done' });
    for (let i = 0; i < 200; i++) {
      if (i === 99) h.clock.advanceBy(900_000);
      await x.perform(post());
    }
    await expect(x.reconcile(old)).resolves.toMatchObject({ status: 'unknown' });
    expect(h.sandbox.received('x').filter((r) => r.status === 429)).toHaveLength(0);
  });

  it('waits for x-rate-limit-reset when the 15-minute window is spent, without a 429', async () => {
    const x = h.registry.get('x');
    const posts = Array.from({ length: 101 }, () => x.perform(post()));
    await Promise.all(posts);
    const creates = h.sandbox.received('x').filter((r) => r.method === 'POST');
    expect(creates.every((r) => r.status === 201)).toBe(true);
    expect(creates.at(-1)!.at - creates[0]!.at).toBeGreaterThanOrEqual(900_000);
  });

  it('maps each X error to its code without leaking the token', async () => {
    const x = h.registry.get('x');
    await x.perform(post());
    const cases = [
      [{ kind: 'versionSunset' }, 'version_sunset', 410, 'Gone'],
      [{ kind: '5xx', status: 500 }, 'unknown_outcome', 500, 'Internal Server Error'],
      [{ kind: '429', retryAfterSeconds: 1, times: 3 }, 'rate_limited', 429, 'Too Many Requests'],
      [{ kind: 'expiredToken' }, 'auth_expired', 401, 'Unauthorized'],
    ] as const;
    for (const [fault, code, status, platformCode] of cases) {
      h.sandbox.inject('x', fault);
      const error = await failure(x.perform(post()));
      expect([error.code, error.status, error.platformCode]).toEqual([code, status, platformCode]);
      expect(error.message).not.toContain('canary');
    }
    const fresh = await startHarness(['x'], env());
    const connector = fresh.registry.get('x');
    const sunset = await (async () => {
      fresh.sandbox.inject('x', { kind: 'versionSunset' });
      return failure(connector.perform(post()));
    })();
    expect(sunset.message).toContain('API version 2 is retired; move to the replacement');
    const long = await failure(
      connector.perform(post({ content: { text: 'a'.repeat(300), mediaUrls: [], variants: [] } })),
    );
    expect([long.code, long.status, long.platformMessage]).toEqual([
      'invalid_request',
      400,
      'One or more parameters to your request was invalid.',
    ]);
    const capped = await failure(
      connector.perform(post({ content: { text: 'usage-cap', mediaUrls: [], variants: [] } })),
    );
    expect([capped.code, capped.retryable]).toEqual(['quota_exhausted', false]);
    await fresh.sandbox.close();
    const appOnly = await startHarness(['x'], env({ X_ACCESS_TOKEN: 'bearer-app-only' }));
    const denied = await failure(appOnly.registry.get('x').perform(post()));
    expect([denied.code, denied.status]).toEqual(['permission_denied', 403]);
    const gone = await fetch(`${appOnly.sandbox.urls.x!}/2/nothing`, {
      headers: { authorization: 'Bearer x-user-1' },
    });
    expect(gone.status).toBe(404);
    await appOnly.sandbox.close();
  });

  it('refreshes an expired token with a rotating refresh token, as a public or confidential client', async () => {
    for (const secret of [{}, { X_CLIENT_SECRET: 'client-secret-canary' }]) {
      const rotating = await startHarness(
        ['x'],
        env({ X_REFRESH_TOKEN: 'x-refresh-0', X_CLIENT_ID: 'client', ...secret }),
      );
      const x = rotating.registry.get('x');
      await x.perform(post());
      rotating.sandbox.inject('x', { kind: 'expiredToken' });
      await x.perform(post());
      const log = rotating.sandbox.received('x');
      const token = log.find((r) => r.path === '/2/oauth2/token');
      expect(token?.body).toEqual({
        grant_type: 'refresh_token',
        refresh_token: 'x-refresh-0',
        client_id: 'client',
      });
      expect(token?.headers.authorization === undefined).toBe(Object.keys(secret).length === 0);
      expect(log.at(-1)?.headers.authorization).toBe('Bearer x-user-refreshed-1');
      await rotating.sandbox.close();
    }
    expect(() => createConnectorRegistry(env({ X_REFRESH_TOKEN: 'r' })).get('x')).toThrow(
      /X_CLIENT_ID/,
    );
    expect(() => createConnectorRegistry({ env: {} }).get('x')).toThrow(/X_ACCESS_TOKEN/);
  });

  it('reads seeded metrics of its posts by id or by date range, in X names and units', async () => {
    const x = h.registry.get('x');
    const first = await x.perform(post());
    h.clock.advanceBy(86_400_000);
    const second = await x.perform(post());
    const byId = await x.fetchMetrics!({
      from: '2026-11-25',
      to: '2026-11-26',
      entities: [first.externalId!, second.externalId!, '1'],
    });
    expect(byId.map((r) => r.entity)).toEqual([first.externalId, second.externalId]);
    expect(byId[0]).toMatchObject({ date: '2026-11-26', timeZone: 'UTC' });
    expect(Object.keys(byId[0]!.metrics)).toContain('public_metrics.impression_count');
    expect(Object.keys(byId[0]!.metrics)).toContain('non_public_metrics.url_link_clicks');
    const range = await x.fetchMetrics!({ from: '2026-11-26', to: '2026-11-26' });
    expect(range.map((r) => r.entity)).toEqual([second.externalId]);
    expect(range[0]).toEqual(byId[1]);
    h.clock.advanceBy(31 * 86_400_000);
    const old = await x.fetchMetrics!({ from: '2026-11-25', to: '2026-11-25' });
    expect(Object.keys(old[0]!.metrics).every((k) => k.startsWith('public_metrics.'))).toBe(true);
    const none = await x.fetchMetrics!({ from: '2026-01-01', to: '2026-01-01', entities: ['1'] });
    expect(none).toEqual([]);
    await expect(x.fetchMetrics!({ from: '2026-01-01', to: '2026-01-01' })).resolves.toEqual([]);
    h.sandbox.inject('x', { kind: 'schemaDrift', field: 'data.id', renameTo: 'post_id' });
    const drift = await failure(x.perform(post()));
    expect([drift.code, drift.message]).toEqual([
      'schema_drift',
      expect.stringContaining('data.id'),
    ]);
  });

  it('forgets a failed account look-up and rejects what X cannot post', async () => {
    const x = h.registry.get('x');
    h.sandbox.inject('x', { kind: '5xx', status: 500, path: '/2/users/me', times: 3 });
    expect((await failure(x.perform(post()))).code).toBe('transient');
    await expect(x.perform(post())).resolves.toMatchObject({ accepted: 1 });
    for (const request of [
      post({ action: 'notify' }),
      post({ content: { mediaUrls: [], variants: [] } }),
    ]) {
      expect((await failure(x.perform(request))).code).toBe('invalid_request');
    }
  });
});
