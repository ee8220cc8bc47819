import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isConnectorError, type ConnectorError } from '../../src/connectors/connector-error.js';
import { createConnectorRegistry } from '../../src/connectors/connector-registry.js';
import {
  interpretHubSpot,
  withHubSpotRetryAfter,
} from '../../src/connectors/hubspot/hubspot-connector.js';
import { actionRequest, startHarness, type Harness } from './connector-harness.js';

const TOKEN = 'pat-canary-8a1c-hubspot-token';
const env = { HUBSPOT_ACCESS_TOKEN: TOKEN };

async function failure(work: Promise<unknown>): Promise<ConnectorError> {
  try {
    await work;
  } catch (error) {
    if (isConnectorError(error)) return error;
    throw error;
  }
  throw new Error('expected a ConnectorError');
}

const people = [
  { id: 'a', email: 'Ann@Example.com' },
  { id: 'b', email: 'bob@example.com' },
];
const sync = (recipients: { id: string; email?: string }[] = people) =>
  actionRequest({ platform: 'hubspot', action: 'audience_sync', recipients });
const mail = (overrides = {}) =>
  actionRequest({
    platform: 'hubspot',
    action: 'email',
    recipients: people,
    options: { emailId: '101' },
    ...overrides,
  });

describe('hubspot connector against its sandbox', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(['hubspot'], { env, retry: { maximumAttempts: 3 } });
  });
  afterEach(async () => {
    await h.sandbox.close();
  });

  it('upserts contacts by email and reads them back on reconcile', async () => {
    const hubspot = h.registry.get('hubspot');
    await expect(hubspot.perform(sync())).resolves.toEqual({
      outputs: { status: 'COMPLETE' },
      accepted: 2,
    });
    const [sent] = h.sandbox.received('hubspot');
    expect(sent?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(sent?.body).toEqual({
      inputs: [
        { id: 'ann@example.com', idProperty: 'email', properties: { email: 'ann@example.com' } },
        { id: 'bob@example.com', idProperty: 'email', properties: { email: 'bob@example.com' } },
      ],
    });
    await expect(hubspot.reconcile(sync())).resolves.toMatchObject({ status: 'done' });
    await expect(hubspot.reconcile(sync([{ id: 'c', email: 'new@example.com' }]))).resolves.toEqual(
      { status: 'not_found' },
    );
    expect(hubspot.health?.().state).toBe('ready');
  });

  it('publishes a marketing e-mail once and reconciles a publish dropped after commit', async () => {
    const hubspot = h.registry.get('hubspot');
    await hubspot.perform(sync());
    const request = mail();
    await expect(hubspot.reconcile(request)).resolves.toEqual({ status: 'not_found' });
    h.sandbox.inject('hubspot', {
      kind: 'dropAfterCommit',
      path: '/marketing/v3/emails/101/publish',
    });
    expect((await failure(hubspot.perform(request))).code).toBe('unknown_outcome');
    await expect(hubspot.reconcile(request)).resolves.toEqual({
      status: 'done',
      result: { externalId: '101', outputs: { emailId: '101' }, accepted: 2 },
    });
    await expect(hubspot.perform(request)).resolves.toMatchObject({ externalId: '101' });
    const publishes = h.sandbox.received('hubspot').filter((r) => r.path.endsWith('/publish'));
    expect(publishes).toHaveLength(1);
    expect(h.sandbox.deliveries('hubspot')).toHaveLength(2);
  });

  it('rejects requests it cannot map', async () => {
    const hubspot = h.registry.get('hubspot');
    const many = Array.from({ length: 101 }, (_, i) => ({ id: `r${i}`, email: `r${i}@x.test` }));
    const cases = [sync([{ id: 'x' }]), sync(many), mail({ options: {} }), mail({ action: 'sms' })];
    for (const request of cases)
      expect((await failure(hubspot.perform(request))).code).toBe('invalid_request');
    expect(h.sandbox.received('hubspot')).toHaveLength(0);
  });

  it('maps HubSpot errors to their codes', async () => {
    const hubspot = h.registry.get('hubspot');
    const faults = [
      [{ kind: 'expiredToken' }, 'auth_expired', 'EXPIRED_AUTHENTICATION'],
      [{ kind: 'versionSunset' }, 'version_sunset', undefined],
      [{ kind: '5xx', status: 503, times: 3 }, 'transient', 'INTERNAL_ERROR'],
      [{ kind: '429', retryAfterSeconds: 2, times: 3 }, 'rate_limited', 'TEN_SECONDLY_ROLLING'],
    ] as const;
    for (const [fault, code, platformCode] of faults) {
      h.sandbox.inject('hubspot', fault);
      const error = await failure(hubspot.perform(sync()));
      expect([error.code, error.platformCode]).toEqual([code, platformCode]);
      expect(error.message).not.toContain(TOKEN);
    }
    h.sandbox.inject('hubspot', { kind: '429', retryAfterSeconds: 2, times: 3 });
    expect((await failure(hubspot.perform(sync()))).retryAfterMs).toBeGreaterThan(0);
    h.sandbox.inject('hubspot', { kind: 'versionSunset' });
    expect((await failure(hubspot.perform(sync()))).message).toContain('API version v3 is retired');
    const missing = await failure(hubspot.perform(mail({ options: { emailId: '999' } })));
    expect([missing.code, missing.platformCode]).toEqual(['not_found', 'OBJECT_NOT_FOUND']);
    const bad = await startHarness(['hubspot'], { env: { HUBSPOT_ACCESS_TOKEN: 'bogus' } });
    expect((await failure(bad.registry.get('hubspot').perform(sync()))).code).toBe('auth_expired');
    await bad.sandbox.close();
  });

  it('adds Retry-After to ten-secondly 429s only, and maps other statuses', async () => {
    const answer = (body: string, status = 429, headers: Record<string, string> = {}) =>
      withHubSpotRetryAfter(() => Promise.resolve(new Response(body, { status, headers })))(
        'http://x.test',
      );
    const daily = '{"message":"daily","policyName":"DAILY"}';
    expect((await answer(daily)).headers.has('retry-after')).toBe(false);
    expect((await answer('busy')).headers.get('retry-after')).toBe('10');
    const interval = { 'x-hubspot-ratelimit-interval-milliseconds': '1000' };
    expect((await answer('{"message":"x"}', 429, interval)).headers.get('retry-after')).toBe('1');
    expect((await answer('{}', 200)).headers.has('retry-after')).toBe(false);
    const headers = new Headers();
    expect(interpretHubSpot({ status: 429, headers, body: JSON.parse(daily) as unknown })).toEqual({
      code: 'quota_exhausted',
      platformCode: 'DAILY',
      platformMessage: 'daily',
    });
    const codes = [403, 409, 410, 400, 401].map(
      (status) => interpretHubSpot({ status, headers, body: { message: 'm' } })?.code,
    );
    expect(codes).toEqual([
      'permission_denied',
      'conflict',
      'version_sunset',
      'invalid_request',
      'auth_expired',
    ]);
    expect(interpretHubSpot({ status: 400, headers, body: { message: 'm' } })?.platformCode).toBe(
      '400',
    );
  });

  it('reads daily e-mail statistics with ratios in percent', async () => {
    const hubspot = h.registry.get('hubspot');
    const rows = await hubspot.fetchMetrics!({ from: '2026-01-01', to: '2026-01-07' });
    expect(rows).toHaveLength(7);
    expect(rows[0]).toMatchObject({ date: '2026-01-01', timeZone: 'UTC' });
    expect(rows[0]).not.toHaveProperty('entity');
    const ratio = rows[0]!.metrics.openratio as number;
    expect(ratio).toBeGreaterThan(1);
    expect(ratio).toBeLessThanOrEqual(100);
    expect(Number.isInteger(rows[0]!.metrics.sent)).toBe(true);
    const perEmail = await hubspot.fetchMetrics!({
      from: '2026-01-01',
      to: '2026-01-01',
      entities: ['101', '102'],
    });
    expect(perEmail.map((r) => r.entity)).toEqual(['101', '102']);
    h.sandbox.inject('hubspot', {
      kind: 'schemaDrift',
      field: 'results.0.aggregations.ratios',
      renameTo: 'rates',
    });
    const drift = await failure(hubspot.fetchMetrics!({ from: '2026-01-01', to: '2026-01-01' }));
    expect([drift.code, drift.message]).toEqual([
      'schema_drift',
      expect.stringContaining('results.0.aggregations.ratios') as unknown,
    ]);
  });

  it('names the missing token', () => {
    expect(() => createConnectorRegistry({ env: {} }).get('hubspot')).toThrow(
      /HUBSPOT_ACCESS_TOKEN/,
    );
  });
});
