import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkHashed } from '../../src/compliance/hashed-payload.js';
import { isConnectorError, type ConnectorError } from '../../src/connectors/connector-error.js';
import { createConnectorRegistry } from '../../src/connectors/connector-registry.js';
import {
  interpretGoogleAds,
  withGoogleRetryAfter,
} from '../../src/connectors/google-ads/google-ads-error-codes.js';
import { actionRequest, startHarness, type Harness } from './connector-harness.js';

const SECRET = 'canary-google-client-secret';
const REFRESH = '1//canary-google-refresh';
const env = {
  GOOGLE_ADS_CUSTOMER_ID: '123-456-7890',
  GOOGLE_ADS_CLIENT_ID: 'client.apps.googleusercontent.com',
  GOOGLE_ADS_CLIENT_SECRET: SECRET,
  GOOGLE_ADS_REFRESH_TOKEN: REFRESH,
  GOOGLE_ADS_DEVELOPER_TOKEN: 'canary-developer-token',
  GOOGLE_ADS_LOGIN_CUSTOMER_ID: '999-000-1111',
};

async function failure(work: Promise<unknown>): Promise<ConnectorError> {
  try {
    await work;
  } catch (error) {
    if (isConnectorError(error)) return error;
    throw error;
  }
  throw new Error('expected a ConnectorError');
}

const ads = (overrides = {}) =>
  actionRequest({
    platform: 'google_ads',
    action: 'ad_pause',
    options: { campaignId: '111' },
    recipients: [],
    currency: 'USD',
    ...overrides,
  });

const audience = (recipients: { id: string; email?: string; phone?: string }[]) =>
  ads({ action: 'audience_sync', options: { userListId: '555' }, recipients });

describe('google ads connector against its sandbox', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(['google_ads'], { env, retry: { maximumAttempts: 3 } });
  });
  afterEach(async () => {
    await h.sandbox.close();
  });

  it('gets a token once, pauses a campaign with its headers and reads the status back', async () => {
    const google = h.registry.get('google_ads');
    const request = ads();
    const result = await google.perform(request);
    expect(result).toEqual({
      externalId: '111',
      outputs: { id: '111', requestId: expect.stringMatching(/^sandbox-/) as unknown },
      accepted: 1,
    });
    const log = h.sandbox.received('google_ads');
    expect(log.map((r) => r.path)).toEqual([
      '/oauth2/v3/token',
      '/v26/customers/1234567890/campaigns:mutate',
    ]);
    expect(log[1]?.headers).toMatchObject({
      authorization: 'Bearer ya29.sandbox-1',
      'developer-token': 'canary-developer-token',
      'login-customer-id': '9990001111',
    });
    expect(log[1]?.body).toEqual({
      operations: [
        {
          update: { resourceName: 'customers/1234567890/campaigns/111', status: 'PAUSED' },
          updateMask: 'status',
        },
      ],
    });
    await expect(google.reconcile(request)).resolves.toEqual({
      status: 'done',
      result: { externalId: '111', outputs: { id: '111' }, accepted: 1 },
    });
    await expect(google.reconcile(ads({ action: 'ad_launch' }))).resolves.toEqual({
      status: 'not_found',
    });
    await google.perform(ads({ action: 'ad_launch' }));
    await expect(google.reconcile(ads({ action: 'ad_launch' }))).resolves.toMatchObject({
      status: 'done',
    });
    expect(google.health?.().state).toBe('ready');
  });

  it('changes a budget in micros found through its campaign and reconciles by reading it back', async () => {
    const google = h.registry.get('google_ads');
    const request = ads({ action: 'budget_change', budget: { amount: 75.555, period: 'daily' } });
    await expect(google.perform(request)).resolves.toMatchObject({ externalId: '222' });
    const mutate = h.sandbox
      .received('google_ads')
      .find((r) => r.path.endsWith('campaignBudgets:mutate'));
    expect(mutate?.body).toEqual({
      operations: [
        {
          update: {
            resourceName: 'customers/1234567890/campaignBudgets/222',
            amountMicros: '75560000',
          },
          updateMask: 'amount_micros',
        },
      ],
    });
    await expect(google.reconcile(request)).resolves.toMatchObject({ status: 'done' });
    const other = ads({
      action: 'budget_change',
      options: { budgetId: '223' },
      budget: { amount: 75.555, period: 'daily' },
    });
    await expect(google.reconcile(other)).resolves.toEqual({ status: 'not_found' });
  });

  it('reconciles a mutate dropped after commit instead of sending it again', async () => {
    const once = await startHarness(['google_ads'], { env, retry: { maximumAttempts: 1 } });
    const google = once.registry.get('google_ads');
    const request = ads({
      action: 'budget_change',
      options: { budgetId: '223' },
      budget: { amount: 30, period: 'daily' },
    });
    await google.fetchMetrics!({ from: '2026-01-01', to: '2026-01-01' });
    once.sandbox.inject('google_ads', {
      kind: 'dropAfterCommit',
      path: '/v26/customers/1234567890/campaignBudgets:mutate',
    });
    expect((await failure(google.perform(request))).code).toBe('transient');
    await expect(google.reconcile(request)).resolves.toMatchObject({ status: 'done' });
    const mutates = once.sandbox.received('google_ads').filter((r) => r.path.endsWith(':mutate'));
    expect(mutates).toHaveLength(1);
    await once.sandbox.close();
  });

  it('uploads Customer Match identifiers only as SHA-256 hashes', async () => {
    const google = h.registry.get('google_ads');
    const request = audience([
      { id: 'a', email: 'Jane.Doe@Gmail.com', phone: '+1 415 555 0100' },
      { id: 'b', email: 'bad' },
      { id: 'c', phone: '+44 20 7946 0958' },
    ]);
    const result = await google.perform(request);
    expect(result).toMatchObject({
      externalId: 'customers/1234567890/offlineUserDataJobs/1',
      accepted: 2,
    });
    const add = h.sandbox.received('google_ads').find((r) => r.path.endsWith(':addOperations'))!;
    expect(checkHashed(add.body)).toEqual([]);
    const values = JSON.stringify(add.body).match(/"hashed\w+":"([^"]*)"/g)!;
    expect(values).toHaveLength(3);
    for (const value of values) expect(value).toMatch(/:"[0-9a-f]{64}"$/);
    expect(JSON.stringify(add.body)).not.toMatch(/jane|gmail|415|7946/i);
    expect(h.sandbox.received('google_ads').at(-1)?.path).toBe(
      '/v26/customers/1234567890/offlineUserDataJobs/1:run',
    );
    await expect(google.reconcile(request)).resolves.toMatchObject({ status: 'unknown' });
    h.sandbox.inject('google_ads', {
      kind: 'dropAfterCommit',
      path: '/v26/customers/1234567890/offlineUserDataJobs:create',
    });
    expect((await failure(google.perform(request))).code).toBe('unknown_outcome');
    expect((await failure(google.perform(audience([{ id: 'x' }])))).code).toBe('invalid_request');
  });

  it('rejects requests it cannot map', async () => {
    const google = h.registry.get('google_ads');
    const cases = [
      ads({ options: {} }),
      ads({ action: 'audience_sync', options: {} }),
      ads({ action: 'budget_change', budget: { amount: 5, period: 'lifetime' } }),
      ads({ action: 'budget_change', options: {}, budget: { amount: 5, period: 'daily' } }),
      ads({ action: 'budget_change', budget: { amount: 5, period: 'daily' }, currency: 'EUR' }),
      ads({
        action: 'budget_change',
        options: { campaignId: '404' },
        budget: { amount: 5, period: 'daily' },
      }),
    ];
    for (const request of cases)
      expect((await failure(google.perform(request))).code).toBe('invalid_request');
  });

  it('refreshes an expired token and maps each failure to its code', async () => {
    const google = h.registry.get('google_ads');
    await google.perform(ads());
    h.sandbox.inject('google_ads', { kind: 'expiredToken' });
    await google.perform(ads());
    expect(
      h.sandbox.received('google_ads').filter((r) => r.path === '/oauth2/v3/token'),
    ).toHaveLength(2);
    const faults = [
      [{ kind: 'versionSunset' }, 'version_sunset', undefined],
      [{ kind: '5xx', status: 500, times: 3 }, 'transient', 'internalError.INTERNAL_ERROR'],
      [
        { kind: '429', retryAfterSeconds: 5, times: 3 },
        'rate_limited',
        'quotaError.RESOURCE_TEMPORARILY_EXHAUSTED',
      ],
    ] as const;
    for (const [fault, code, platformCode] of faults) {
      h.sandbox.inject('google_ads', fault);
      const error = await failure(google.perform(ads()));
      expect([error.code, error.platformCode]).toEqual([code, platformCode]);
      expect(error.message).not.toMatch(/canary/);
    }
    h.sandbox.inject('google_ads', { kind: '429', retryAfterSeconds: 5, times: 3 });
    expect((await failure(google.perform(ads()))).retryAfterMs).toBeGreaterThan(0);
    h.sandbox.inject('google_ads', { kind: '429', retryAfterSeconds: 3600 });
    const daily = await failure(google.perform(ads()));
    expect([daily.code, daily.retryAfterMs, daily.retryable]).toEqual([
      'quota_exhausted',
      3_600_000,
      false,
    ]);
    h.sandbox.inject('google_ads', { kind: 'versionSunset' });
    expect((await failure(google.perform(ads()))).message).toContain('API version v26 is retired');
    const missing = await failure(google.perform(ads({ options: { campaignId: '999' } })));
    expect([missing.code, missing.platformCode]).toEqual([
      'not_found',
      'mutateError.RESOURCE_NOT_FOUND',
    ]);
    const bad = await startHarness(['google_ads'], {
      env: { ...env, GOOGLE_ADS_REFRESH_TOKEN: 'revoked' },
    });
    const denied = await failure(bad.registry.get('google_ads').perform(ads()));
    expect(denied.code).toBe('auth_expired');
    expect(denied.message).not.toContain(SECRET);
    await bad.sandbox.close();
  });

  it('passes a 429 without a Google envelope through unchanged', async () => {
    const waits: number[] = [];
    const wrapped = withGoogleRetryAfter(
      () => Promise.resolve(new Response('busy', { status: 429 })),
      (ms) => waits.push(ms),
    );
    const response = await wrapped('http://x.test');
    expect([response.status, await response.text(), response.headers.has('retry-after')]).toEqual([
      429,
      'busy',
      false,
    ]);
    expect(waits).toEqual([]);
  });

  it('maps statuses and codes without a sandbox answer for them', () => {
    const headers = new Headers();
    const status = (code: number) => interpretGoogleAds({ status: code, headers, body: 'x' })?.code;
    expect([401, 403, 429, 501, 502, 400].map(status)).toEqual([
      'auth_expired',
      'permission_denied',
      'rate_limited',
      'version_sunset',
      'transient',
      'invalid_request',
    ]);
    const rpc = (code: number, category: string, value: string) =>
      interpretGoogleAds({
        status: code,
        headers,
        body: {
          error: {
            code,
            message: 'm',
            details: [{ errors: [{ errorCode: { [category]: value }, message: 'e' }] }],
          },
        },
      });
    expect(rpc(429, 'quotaError', 'RESOURCE_EXHAUSTED')?.code).toBe('quota_exhausted');
    expect(rpc(403, 'authorizationError', 'USER_PERMISSION_DENIED')).toEqual({
      code: 'permission_denied',
      platformCode: 'authorizationError.USER_PERMISSION_DENIED',
      platformMessage: 'e',
    });
    expect(
      interpretGoogleAds({
        status: 404,
        headers,
        body: { error: { code: 404, message: 'gone', status: 'NOT_FOUND' } },
      }),
    ).toEqual({
      code: 'not_found',
      platformCode: 'status.NOT_FOUND',
      platformMessage: 'gone',
    });
    expect(
      interpretGoogleAds({ status: 400, headers, body: { error: { code: 400, message: 'bad' } } })
        ?.platformCode,
    ).toBe('status.400');
  });

  it('reports daily GAQL metrics in micros with the account currency and zone', async () => {
    const google = h.registry.get('google_ads');
    // Metrics exist only for the days a campaign was switched on: both, from Nov 25 to Dec 31.
    for (const campaignId of ['111', '112'])
      await google.perform(ads({ action: 'ad_launch', options: { campaignId } }));
    h.clock.advanceTo(Date.parse('2027-01-01T12:00:00Z'));
    h.sandbox.inject('google_ads', {
      kind: 'versionSunset',
      path: '/v26/customers/1234567890/googleAds:searchStream',
    });
    const first = await failure(google.fetchMetrics!({ from: '2026-12-01', to: '2026-12-31' }));
    expect(first.code).toBe('version_sunset');
    // A lookup that failed is asked again: nothing before the launch day, then the rows.
    expect(await google.fetchMetrics!({ from: '2026-11-01', to: '2026-11-24' })).toEqual([]);
    const rows = await google.fetchMetrics!({ from: '2026-12-01', to: '2026-12-31' });
    expect(rows).toHaveLength(62);
    expect(rows[0]).toMatchObject({
      date: '2026-12-01',
      entity: '111',
      currency: 'USD',
      timeZone: 'America/New_York',
    });
    expect(rows[0]?.metrics.impressions).toMatch(/^\d+$/);
    expect(rows.some((r) => typeof r.metrics.costMicros === 'string')).toBe(true);
    expect(rows.some((r) => !('conversions' in r.metrics))).toBe(true);
    expect(Object.values(rows[0]!.metrics)).not.toContain(0);
    const one = await google.fetchMetrics!({
      from: '2026-12-01',
      to: '2026-12-01',
      entities: ['112', 'x'],
    });
    expect(one).toEqual([rows[1]]);
    const query = h.sandbox.received('google_ads').at(-1)?.body as { query: string };
    expect(query.query).toContain('AND campaign.id IN (112)');
    h.sandbox.inject('google_ads', { kind: 'schemaDrift', field: '0.requestId' });
    const drift = await failure(google.fetchMetrics!({ from: '2026-12-01', to: '2026-12-01' }));
    expect([drift.code, drift.message]).toEqual([
      'schema_drift',
      expect.stringContaining('0.requestId') as unknown,
    ]);
  });

  it('takes a configured access token and access level, and names missing variables', async () => {
    const registry = createConnectorRegistry({
      clock: h.clock,
      sandbox: h.sandbox.urls,
      env: { ...env, GOOGLE_ADS_ACCESS_TOKEN: 'ya29.given', GOOGLE_ADS_ACCESS_LEVEL: 'standard' },
    });
    await registry.get('google_ads').perform(ads());
    expect(h.sandbox.received('google_ads').map((r) => r.headers.authorization)).toEqual([
      'Bearer ya29.given',
    ]);
    h.sandbox.inject('google_ads', { kind: 'expiredToken' });
    const gone = createConnectorRegistry({
      clock: h.clock,
      sandbox: h.sandbox.urls,
      env: { ...env, GOOGLE_ADS_ACCESS_TOKEN: 'ya29.given' },
    });
    await expect(
      gone.get('google_ads').fetchMetrics!({ from: '2026-01-01', to: '2026-01-01' }),
    ).resolves.toEqual([]);
    expect(() =>
      createConnectorRegistry({ env: { GOOGLE_ADS_CUSTOMER_ID: '1' } }).get('google_ads'),
    ).toThrow(/GOOGLE_ADS_CLIENT_ID, GOOGLE_ADS_CLIENT_SECRET, GOOGLE_ADS_REFRESH_TOKEN/);
  });
});
