import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkHashed } from '../../src/compliance/hashed-payload.js';
import { isConnectorError, type ConnectorError } from '../../src/connectors/connector-error.js';
import { createConnectorRegistry } from '../../src/connectors/connector-registry.js';
import {
  interpretMetaAds,
  metaRegainMs,
} from '../../src/connectors/meta-ads/meta-ads-error-codes.js';
import { actionRequest, startHarness, type Harness } from './connector-harness.js';

const TOKEN = 'EAAcanary-4c7d-meta-token';
const SECRET = 'canary-meta-app-secret';
const env = {
  META_ADS_ACCESS_TOKEN: TOKEN,
  META_APP_SECRET: SECRET,
  META_ADS_ACCOUNT_ID: '1000000000',
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
    platform: 'meta_ads',
    action: 'ad_launch',
    content: { title: 'Winter sale', mediaUrls: [], variants: [] },
    recipients: [],
    ...overrides,
  });

describe('meta ads connector against its sandbox', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(['meta_ads'], { env, retry: { maximumAttempts: 3 } });
  });
  afterEach(async () => {
    await h.sandbox.close();
  });

  it('creates a keyed campaign with its budget in minor units and reconciles it by name', async () => {
    const meta = h.registry.get('meta_ads');
    const request = ads({ budget: { amount: 50.5, period: 'daily' } });
    const result = await meta.perform(request);
    expect(result).toEqual({
      externalId: expect.any(String) as unknown,
      outputs: { id: result.externalId },
      accepted: 1,
    });
    const create = h.sandbox.received('meta_ads').find((r) => r.path.endsWith('/campaigns'));
    expect(create?.path).toBe('/v25.0/act_1000000000/campaigns');
    expect(create?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(create?.query.appsecret_proof).toMatch(/^[0-9a-f]{64}$/);
    expect(create?.body).toEqual({
      name: `Winter sale [herald:${request.idempotencyKey}]`,
      objective: 'OUTCOME_TRAFFIC',
      status: 'ACTIVE',
      special_ad_categories: [],
      daily_budget: 5050,
    });
    await expect(meta.reconcile(request)).resolves.toEqual({ status: 'done', result });
    await expect(meta.reconcile(ads())).resolves.toEqual({ status: 'not_found' });
    expect(meta.health?.().state).toBe('ready');
  });

  it('reconciles a campaign create dropped after commit without creating it again', async () => {
    const meta = h.registry.get('meta_ads');
    const request = ads();
    h.sandbox.inject('meta_ads', { kind: 'dropAfterCommit' });
    expect((await failure(meta.perform(request))).code).toBe('unknown_outcome');
    await expect(meta.reconcile(request)).resolves.toMatchObject({ status: 'done' });
    const creates = h.sandbox.received('meta_ads').filter((r) => r.method === 'POST');
    expect(creates).toHaveLength(1);
  });

  it('pauses, re-launches and re-budgets an existing object and reads the state back', async () => {
    const meta = h.registry.get('meta_ads');
    const options = { campaignId: '120210000000000001' };
    const pause = ads({ action: 'ad_pause', options });
    await expect(meta.perform(pause)).resolves.toMatchObject({ externalId: options.campaignId });
    await expect(meta.reconcile(pause)).resolves.toMatchObject({ status: 'done' });
    const launch = ads({ options: { adSetId: '120210000000000002' } });
    await meta.perform(launch);
    expect(h.sandbox.received('meta_ads').at(-1)?.body).toEqual({ status: 'ACTIVE' });
    const budget = ads({
      action: 'budget_change',
      options,
      budget: { amount: 75, period: 'lifetime' },
    });
    await meta.perform(budget);
    expect(h.sandbox.received('meta_ads').at(-1)?.body).toEqual({ lifetime_budget: 7500 });
    await expect(meta.reconcile(budget)).resolves.toMatchObject({ status: 'done' });
    const other = ads({
      ...budget,
      idempotencyKey: 'k-other',
      budget: { amount: 80, period: 'lifetime' },
    });
    await expect(meta.reconcile(other)).resolves.toEqual({ status: 'not_found' });
    await expect(meta.reconcile(ads({ action: 'ad_launch', options }))).resolves.toEqual({
      status: 'not_found',
    });
  });

  it('reports a budget blocked for an hour as quota_exhausted with the wait', async () => {
    // Separate registries (own limiters) let five changes reach Meta within the hour.
    const fresh = () =>
      createConnectorRegistry({ clock: h.clock, sandbox: h.sandbox.urls, env }).get('meta_ads');
    const options = { adSetId: '120210000000000002' };
    const change = (amount: number) =>
      ads({ action: 'budget_change', options, budget: { amount, period: 'daily' } });
    for (const amount of [10, 11, 12, 13]) await fresh().perform(change(amount));
    const error = await failure(fresh().perform(change(14)));
    expect([error.code, error.platformCode, error.retryAfterMs, error.retryable]).toEqual([
      'quota_exhausted',
      '17/2446079',
      3_600_000,
      false,
    ]);
    expect(error.message).toContain('access returns in 60 min');
  });

  it('uploads only SHA-256 hashes to a custom audience', async () => {
    const meta = h.registry.get('meta_ads');
    const request = ads({
      action: 'audience_sync',
      options: { audienceId: '23850000000000001' },
      recipients: [
        { id: 'a', email: ' Ann@Example.com ', phone: '+49 30 5555 0101' },
        { id: 'b', phone: '+1 (415) 555-0100' },
        { id: 'c', email: 'not-an-email' },
      ],
    });
    await expect(meta.perform(request)).resolves.toMatchObject({ accepted: 2 });
    const upload = h.sandbox.received('meta_ads').at(-1)!;
    expect(upload.path).toBe('/v25.0/23850000000000001/users');
    expect(checkHashed(upload.body)).toEqual([]);
    const { payload } = upload.body as { payload: { schema: string[]; data: string[][] } };
    expect(payload.schema).toEqual(['EMAIL', 'PHONE']);
    const values = payload.data.flat().filter((v) => v !== '');
    expect(values).toHaveLength(3);
    for (const value of values) expect(value).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(upload.body)).not.toMatch(/ann|example|4930/i);
    await expect(meta.reconcile(request)).resolves.toMatchObject({ status: 'unknown' });
    const nobody = ads({
      action: 'audience_sync',
      options: { audienceId: '1' },
      recipients: [{ id: 'x' }],
    });
    expect((await failure(meta.perform(nobody))).code).toBe('invalid_request');
  });

  it('rejects requests it cannot map before calling the platform', async () => {
    const meta = h.registry.get('meta_ads');
    const cases = [
      ads({ action: 'ad_pause' }),
      ads({ action: 'audience_sync' }),
      ads({ action: 'budget_change', options: { campaignId: '1' } }),
      ads({ action: 'email', options: { campaignId: '1' } }),
    ];
    for (const request of cases)
      expect((await failure(meta.perform(request))).code).toBe('invalid_request');
    expect(h.sandbox.received('meta_ads')).toHaveLength(0);
    const yen = ads({ currency: 'JPY', budget: { amount: 5000, period: 'daily' } });
    const mismatch = await failure(meta.perform(yen));
    expect([mismatch.code, mismatch.message]).toEqual([
      'invalid_request',
      'meta_ads: the budget is in JPY but the ad account bills in EUR',
    ]);
  });

  it('maps Graph error codes to their codes', async () => {
    const meta = h.registry.get('meta_ads');
    const faults = [
      [{ kind: 'expiredToken' }, 'auth_expired', '190/463'],
      [{ kind: 'versionSunset' }, 'version_sunset', '2635'],
      [{ kind: '5xx', status: 500 }, 'unknown_outcome', '1'],
      [{ kind: '5xx', status: 503, times: 3 }, 'transient', '2'],
      [{ kind: '429', retryAfterSeconds: 5, times: 3 }, 'rate_limited', '80004/2446079'],
    ] as const;
    for (const [fault, code, platformCode] of faults) {
      h.sandbox.inject('meta_ads', fault);
      const error = await failure(meta.perform(ads()));
      expect([error.code, error.platformCode]).toEqual([code, platformCode]);
      expect(error.message).not.toContain(TOKEN);
      expect(error.message).not.toContain(SECRET);
    }
    h.sandbox.inject('meta_ads', { kind: '429', retryAfterSeconds: 5, times: 3 });
    expect((await failure(meta.perform(ads()))).retryAfterMs).toBeGreaterThan(0);
    h.sandbox.inject('meta_ads', { kind: 'versionSunset' });
    expect((await failure(meta.perform(ads()))).message).toContain('API version v25.0 is retired');
    const missing = await failure(
      meta.perform(ads({ action: 'ad_pause', options: { campaignId: 'missing-1' } })),
    );
    expect([missing.code, missing.platformCode]).toEqual(['not_found', '100/33']);
    const bad = await startHarness(['meta_ads'], {
      env: { ...env, META_ADS_ACCESS_TOKEN: 'bogus' },
    });
    const denied = await failure(bad.registry.get('meta_ads').perform(ads()));
    expect([denied.code, denied.status]).toEqual(['auth_expired', 400]);
    await bad.sandbox.close();
  });

  it('maps codes and statuses without a sandbox answer for them', () => {
    const headers = new Headers();
    const graph = (code: number, subcode?: number) =>
      interpretMetaAds({
        status: 400,
        headers,
        body: { error: { message: 'm', code, ...(subcode ? { error_subcode: subcode } : {}) } },
      })?.code;
    expect([
      graph(10),
      graph(200),
      graph(100),
      graph(-3),
      graph(613),
      graph(4),
      graph(102),
    ]).toEqual([
      'permission_denied',
      'permission_denied',
      'invalid_request',
      'transient',
      'rate_limited',
      'rate_limited',
      'auth_expired',
    ]);
    const codes = [401, 403, 404, 429, 400, 502].map(
      (status) => interpretMetaAds({ status, headers, body: 'oops' })?.code,
    );
    expect(codes).toEqual([
      'auth_expired',
      'permission_denied',
      'not_found',
      'rate_limited',
      'invalid_request',
      'transient',
    ]);
    expect(interpretMetaAds({ status: 200, headers, body: {} })).toBeUndefined();
    const usage = new Headers({
      'x-ad-account-usage': JSON.stringify({ acc_id_util_pct: 100, reset_time_duration: 90 }),
      'x-business-use-case-usage': '{not json',
    });
    expect(metaRegainMs(usage)).toBe(90_000);
    expect(metaRegainMs(new Headers({ 'x-business-use-case-usage': '{"1":[{}],"2":3}' }))).toBe(0);
  });

  it('reads daily insights of active campaigns as strings with the account currency and zone', async () => {
    const meta = h.registry.get('meta_ads');
    // Switched on through a registry of its own, so the one under test starts cold.
    const launcher = createConnectorRegistry({ env, clock: h.clock, sandbox: h.sandbox.urls }).get(
      'meta_ads',
    );
    // Insights exist only while a campaign is active: both seeded ones, for a year.
    for (const campaignId of ['120210000000000001', '120210000000000002'])
      await launcher.perform(ads({ options: { campaignId } }));
    h.clock.advanceTo(Date.parse('2027-11-26T12:00:00Z'));
    h.sandbox.inject('meta_ads', { kind: 'expiredToken' });
    expect((await failure(meta.fetchMetrics!({ from: '2026-01-01', to: '2026-01-02' }))).code).toBe(
      'auth_expired',
    );
    const rows = await meta.fetchMetrics!({ from: '2026-11-26', to: '2027-11-25' });
    expect(rows).toHaveLength(730);
    const insightCalls = h.sandbox.received('meta_ads').filter((r) => r.path.endsWith('/insights'));
    expect(insightCalls).toHaveLength(2);
    const [first] = rows;
    expect(first).toMatchObject({ date: '2026-11-26', currency: 'EUR', timeZone: 'Europe/Berlin' });
    expect(typeof first?.metrics.impressions).toBe('string');
    expect(first?.metrics.spend).toMatch(/^\d+\.\d{2}$/);
    expect(first?.metrics['actions.link_click']).toBe(first?.metrics.clicks);
    const again = await meta.fetchMetrics!({
      from: '2026-11-26',
      to: '2026-11-26',
      entities: [first!.entity!],
    });
    expect(again).toEqual([first]);
    h.sandbox.inject('meta_ads', {
      kind: 'schemaDrift',
      field: 'data.0.date_start',
      renameTo: 'day',
    });
    const drift = await failure(meta.fetchMetrics!({ from: '2026-11-26', to: '2026-11-26' }));
    expect([drift.code, drift.message]).toEqual([
      'schema_drift',
      expect.stringContaining('data.0.date_start') as unknown,
    ]);
  });

  it('honours the standard tier and names missing variables', () => {
    const registry = createConnectorRegistry({ env: { ...env, META_ADS_ACCESS_TIER: 'standard' } });
    expect(registry.get('meta_ads').capabilities).toContain('sync_audience');
    expect(() =>
      createConnectorRegistry({ env: { META_ADS_ACCESS_TOKEN: 'EAA' } }).get('meta_ads'),
    ).toThrow(/META_APP_SECRET, META_ADS_ACCOUNT_ID/);
  });
});
