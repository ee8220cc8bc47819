import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isConnectorError, type ConnectorError } from '../../src/connectors/connector-error.js';
import { createConnectorRegistry } from '../../src/connectors/connector-registry.js';
import {
  interpretTikTok,
  withTikTokRetryAfter,
} from '../../src/connectors/tiktok/tiktok-error-codes.js';
import { actionRequest, startHarness, type Harness } from './connector-harness.js';

const TOKEN = 'canary-3e8f-tiktok-token';
const env = { TIKTOK_ACCESS_TOKEN: TOKEN, TIKTOK_ADVERTISER_ID: '7000000000000000001' };

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
    platform: 'tiktok',
    action: 'ad_pause',
    options: { campaignId: '1800000000000001' },
    recipients: [],
    currency: 'USD',
    ...overrides,
  });

describe('tiktok connector against its sandbox', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(['tiktok'], { env, retry: { maximumAttempts: 3 } });
  });
  afterEach(async () => {
    await h.sandbox.close();
  });

  it('pauses a campaign with the Access-Token header and reads the status back', async () => {
    const tiktok = h.registry.get('tiktok');
    const request = ads();
    await expect(tiktok.perform(request)).resolves.toEqual({
      externalId: '1800000000000001',
      outputs: { id: '1800000000000001' },
      accepted: 1,
    });
    const [sent] = h.sandbox.received('tiktok');
    expect(sent?.path).toBe('/open_api/v1.3/campaign/status/update/');
    expect(sent?.headers['access-token']).toBe(TOKEN);
    expect(sent?.headers.authorization).toBeUndefined();
    expect(sent?.body).toEqual({
      advertiser_id: '7000000000000000001',
      campaign_ids: ['1800000000000001'],
      operation_status: 'DISABLE',
    });
    await expect(tiktok.reconcile(request)).resolves.toMatchObject({ status: 'done' });
    await expect(tiktok.reconcile(ads({ action: 'ad_launch' }))).resolves.toEqual({
      status: 'not_found',
    });
    expect(tiktok.health?.().state).toBe('ready');
  });

  it('changes a budget in major units and reconciles a change dropped after commit', async () => {
    const once = await startHarness(['tiktok'], { env, retry: { maximumAttempts: 1 } });
    const tiktok = once.registry.get('tiktok');
    const request = ads({ action: 'budget_change', budget: { amount: 150.5, period: 'lifetime' } });
    await tiktok.reconcile(ads());
    once.sandbox.inject('tiktok', {
      kind: 'dropAfterCommit',
      path: '/open_api/v1.3/campaign/update/',
    });
    expect((await failure(tiktok.perform(request))).code).toBe('transient');
    await expect(tiktok.reconcile(request)).resolves.toMatchObject({ status: 'done' });
    const updates = once.sandbox
      .received('tiktok')
      .filter((r) => r.path.endsWith('/campaign/update/'));
    expect(updates.map((r) => r.body)).toEqual([
      {
        advertiser_id: '7000000000000000001',
        campaign_id: '1800000000000001',
        budget: 150.5,
        budget_mode: 'BUDGET_MODE_TOTAL',
      },
    ]);
    const daily = ads({ action: 'budget_change', budget: { amount: 150.5, period: 'daily' } });
    await expect(tiktok.reconcile(daily)).resolves.toEqual({ status: 'not_found' });
    await once.sandbox.close();
  });

  it('enables an ad group and cannot read it back', async () => {
    const tiktok = h.registry.get('tiktok');
    const request = ads({ action: 'ad_launch', options: { adGroupId: '1700000000000001' } });
    await tiktok.perform(request);
    expect(h.sandbox.received('tiktok')[0]?.body).toMatchObject({
      adgroup_ids: ['1700000000000001'],
      operation_status: 'ENABLE',
    });
    await expect(tiktok.reconcile(request)).resolves.toMatchObject({ status: 'unknown' });
  });

  it('rejects requests it cannot map', async () => {
    const tiktok = h.registry.get('tiktok');
    const cases = [
      ads({ options: {} }),
      ads({ action: 'post' }),
      ads({ action: 'budget_change' }),
      ads({ action: 'budget_change', budget: { amount: 5, period: 'daily' }, currency: 'EUR' }),
    ];
    for (const request of cases)
      expect((await failure(tiktok.perform(request))).code).toBe('invalid_request');
  });

  it('maps codes answered with HTTP 200 to their codes', async () => {
    const tiktok = h.registry.get('tiktok');
    const missing = await failure(tiktok.perform(ads({ options: { campaignId: '999' } })));
    expect([missing.code, missing.status, missing.platformCode]).toEqual([
      'not_found',
      200,
      '40007',
    ]);
    const faults = [
      [{ kind: 'expiredToken' }, 'auth_expired', '40102'],
      [{ kind: 'versionSunset' }, 'version_sunset', '40051'],
      [{ kind: '5xx', status: 500, times: 3 }, 'transient', '50000'],
      [{ kind: '429', retryAfterSeconds: 2, times: 3 }, 'rate_limited', '40100'],
    ] as const;
    for (const [fault, code, platformCode] of faults) {
      h.sandbox.inject('tiktok', fault);
      const error = await failure(tiktok.perform(ads()));
      expect([error.code, error.platformCode]).toEqual([code, platformCode]);
      expect(error.message).not.toContain(TOKEN);
    }
    h.sandbox.inject('tiktok', { kind: '429', retryAfterSeconds: 2, times: 3 });
    expect((await failure(tiktok.perform(ads()))).retryAfterMs).toBeGreaterThan(0);
    h.sandbox.inject('tiktok', { kind: 'versionSunset' });
    expect((await failure(tiktok.perform(ads()))).message).toContain('API version v1.3 is retired');
    const revoked = await startHarness(['tiktok'], {
      env: { ...env, TIKTOK_ACCESS_TOKEN: 'revoked-1' },
    });
    const denied = await failure(revoked.registry.get('tiktok').perform(ads()));
    expect([denied.code, denied.status, denied.platformCode]).toEqual([
      'auth_expired',
      200,
      '40105',
    ]);
    await revoked.sandbox.close();
  });

  it('adds Retry-After to throttles only, and maps transport statuses', async () => {
    const answer = (body: string, status = 200, headers: Record<string, string> = {}) =>
      withTikTokRetryAfter(() => Promise.resolve(new Response(body, { status, headers })))(
        'http://x.test',
      );
    expect((await answer('{"code":40133,"message":"qps"}')).headers.get('retry-after')).toBe('1');
    expect((await answer('{"code":40100,"message":"qpm"}')).headers.get('retry-after')).toBe('60');
    expect(
      (await answer('{"code":40100,"message":"qpm"}', 200, { 'retry-after': '9' })).headers.get(
        'retry-after',
      ),
    ).toBe('9');
    expect((await answer('{"code":0,"message":"OK"}')).headers.has('retry-after')).toBe(false);
    const plain = await answer('404 page not found', 404);
    expect([plain.status, await plain.text()]).toEqual([404, '404 page not found']);
    const headers = new Headers();
    const codes = [404, 429, 502, 400, 200].map(
      (status) => interpretTikTok({ status, headers, body: 'x' })?.code,
    );
    expect(codes).toEqual([
      'version_sunset',
      'rate_limited',
      'transient',
      'invalid_request',
      undefined,
    ]);
    expect(
      interpretTikTok({ status: 200, headers, body: { code: 20001, message: 'partial' } }),
    ).toBeUndefined();
    expect(
      interpretTikTok({ status: 200, headers, body: { code: 41234, message: 'odd' } })?.code,
    ).toBe('invalid_request');
  });

  it('reads the daily report in 30-day windows with strings, currency and zone', async () => {
    const tiktok = h.registry.get('tiktok');
    // Switched on through a registry of its own, so the one under test starts cold.
    const launcher = createConnectorRegistry({ env, clock: h.clock, sandbox: h.sandbox.urls }).get(
      'tiktok',
    );
    // Metrics exist only while a campaign is on: both for a year, the second on a budget too
    // small for a click (so its CPC is TikTok's "-").
    for (const campaignId of ['1800000000000001', '1800000000000002'])
      await launcher.perform(ads({ action: 'ad_launch', options: { campaignId } }));
    await launcher.perform(
      ads({
        action: 'budget_change',
        options: { campaignId: '1800000000000002' },
        budget: { amount: 0.3, period: 'daily' },
      }),
    );
    h.clock.advanceTo(Date.parse('2027-11-26T12:00:00Z'));
    h.sandbox.inject('tiktok', {
      kind: '5xx',
      status: 500,
      times: 3,
      path: '/open_api/v1.3/advertiser/info/',
    });
    expect(
      (await failure(tiktok.fetchMetrics!({ from: '2026-01-01', to: '2026-01-01' }))).code,
    ).toBe('transient');
    const rows = await tiktok.fetchMetrics!({ from: '2026-11-26', to: '2027-11-25' });
    expect(rows).toHaveLength(730);
    const reports = h.sandbox
      .received('tiktok')
      .filter((r) => r.path.endsWith('/report/integrated/get/'));
    expect(reports.every((r) => r.status === 200)).toBe(true);
    expect(reports).toHaveLength(13);
    expect(rows[0]).toMatchObject({
      date: '2026-11-26',
      entity: '1800000000000001',
      currency: 'USD',
      timeZone: 'America/Los_Angeles',
    });
    expect(rows[0]?.metrics.spend).toMatch(/^\d+\.\d{2}$/);
    expect(typeof rows[0]?.metrics.impressions).toBe('string');
    expect(rows.some((r) => !('cpc' in r.metrics))).toBe(true);
    const one = await tiktok.fetchMetrics!({
      from: '2026-11-26',
      to: '2026-11-26',
      entities: ['1800000000000002'],
    });
    expect(one).toEqual([rows[1]]);
    h.sandbox.inject('tiktok', { kind: 'schemaDrift', field: 'data.page_info' });
    const drift = await failure(tiktok.fetchMetrics!({ from: '2026-01-01', to: '2026-01-01' }));
    expect([drift.code, drift.message]).toEqual([
      'schema_drift',
      expect.stringContaining('data.page_info') as unknown,
    ]);
  });

  it('names missing variables', () => {
    expect(() => createConnectorRegistry({ env: {} }).get('tiktok')).toThrow(
      /TIKTOK_ACCESS_TOKEN, TIKTOK_ADVERTISER_ID/,
    );
  });
});
