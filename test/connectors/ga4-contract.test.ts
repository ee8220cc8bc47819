import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isConnectorError, type ConnectorError } from '../../src/connectors/connector-error.js';
import { createConnectorRegistry } from '../../src/connectors/connector-registry.js';
import { interpretGa4 } from '../../src/connectors/ga4/ga4-connector.js';
import { actionRequest, startHarness, type Harness } from './connector-harness.js';

const SECRET = 'canary-ga4-client-secret';
const env = {
  GA4_PROPERTY_ID: '123456789',
  GA4_CLIENT_ID: 'client.apps.googleusercontent.com',
  GA4_CLIENT_SECRET: SECRET,
  GA4_REFRESH_TOKEN: '1//canary-ga4-refresh',
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

const RUN = '/v1beta/properties/123456789:runReport';

describe('ga4 connector against its sandbox', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(['ga4'], { env, retry: { maximumAttempts: 3 } });
  });
  afterEach(async () => {
    await h.sandbox.close();
  });

  it('reports daily campaign metrics as strings in the property currency and zone', async () => {
    const ga4 = h.registry.get('ga4');
    const rows = await ga4.fetchMetrics!({ from: '2026-01-01', to: '2026-01-31' });
    expect(rows.length).toBeGreaterThan(80);
    const log = h.sandbox.received('ga4');
    expect(log.map((r) => r.path)).toEqual(['/oauth2/v3/token', RUN]);
    expect(log[1]?.headers.authorization).toBe('Bearer ya29.ga4-1');
    expect(rows[0]).toMatchObject({
      date: '2026-01-01',
      currency: 'EUR',
      timeZone: 'Europe/Paris',
    });
    expect(typeof rows[0]?.metrics.sessions).toBe('string');
    expect(rows[0]?.metrics.totalRevenue).toMatch(/^\d+\.\d{2}$/);
    const again = await ga4.fetchMetrics!({
      from: '2026-01-01',
      to: '2026-01-01',
      entities: ['winter_sale'],
    });
    expect(again).toEqual(
      rows.filter((r) => r.date === '2026-01-01' && r.entity === 'winter_sale'),
    );
    expect(ga4.health?.().state).toBe('ready');
  });

  it('pages by offset up to rowCount', async () => {
    const rows = await h.registry.get('ga4').fetchMetrics!({
      from: '2020-01-01',
      to: '2029-12-31',
    });
    expect(rows.length).toBeGreaterThan(10_000);
    const offsets = h.sandbox
      .received('ga4')
      .filter((r) => r.path === RUN)
      .map((r) => (r.body as { offset: string }).offset);
    expect(offsets).toEqual(['0', '10000']);
    await expect(
      h.registry.get('ga4').fetchMetrics!({ from: '2030-01-01', to: '2029-01-01' }),
    ).rejects.toMatchObject({
      code: 'invalid_request',
    });
  });

  it('is read-only: perform refuses and reconcile finds nothing', async () => {
    const ga4 = h.registry.get('ga4');
    const request = actionRequest({ platform: 'ga4', action: 'report', recipients: [] });
    expect((await failure(ga4.perform(request))).code).toBe('invalid_request');
    await expect(ga4.reconcile(request)).resolves.toEqual({ status: 'not_found' });
    expect(h.sandbox.received('ga4')).toHaveLength(0);
  });

  it('refreshes an expired token and maps each failure', async () => {
    const ga4 = h.registry.get('ga4');
    const query = { from: '2026-01-01', to: '2026-01-01' };
    await ga4.fetchMetrics!(query);
    h.sandbox.inject('ga4', { kind: 'expiredToken' });
    await ga4.fetchMetrics!(query);
    expect(h.sandbox.received('ga4').filter((r) => r.path === '/oauth2/v3/token')).toHaveLength(2);
    const faults = [
      [{ kind: 'versionSunset' }, 'version_sunset', undefined],
      [{ kind: '5xx', status: 503, times: 3 }, 'transient', 'UNAVAILABLE'],
      [{ kind: '429', retryAfterSeconds: 2, times: 3 }, 'rate_limited', 'RESOURCE_EXHAUSTED'],
    ] as const;
    for (const [fault, code, platformCode] of faults) {
      h.sandbox.inject('ga4', fault);
      const error = await failure(ga4.fetchMetrics!(query));
      expect([error.code, error.platformCode]).toEqual([code, platformCode]);
    }
    h.sandbox.inject('ga4', { kind: '429', retryAfterSeconds: 600 });
    const hourly = await failure(ga4.fetchMetrics!(query));
    expect([hourly.code, hourly.retryAfterMs, hourly.retryable]).toEqual([
      'quota_exhausted',
      3_600_000,
      false,
    ]);
    h.sandbox.inject('ga4', { kind: 'versionSunset' });
    expect((await failure(ga4.fetchMetrics!(query))).message).toContain(
      'API version v1beta is retired',
    );
    const other = await startHarness(['ga4'], { env: { ...env, GA4_PROPERTY_ID: '999' } });
    const denied = await failure(other.registry.get('ga4').fetchMetrics!(query));
    expect([denied.code, denied.platformCode]).toEqual(['permission_denied', 'PERMISSION_DENIED']);
    await other.sandbox.close();
    const revoked = await startHarness(['ga4'], { env: { ...env, GA4_REFRESH_TOKEN: 'revoked' } });
    const expired = await failure(revoked.registry.get('ga4').fetchMetrics!(query));
    expect(expired.code).toBe('auth_expired');
    expect(expired.message).not.toContain(SECRET);
    await revoked.sandbox.close();
  });

  it('maps statuses without a sandbox answer for them', () => {
    const headers = new Headers();
    const body = (code: number, message: string) => ({ error: { code, message, status: 'X' } });
    const daily = interpretGa4({
      status: 429,
      headers,
      body: body(429, 'Exhausted property tokens per day.'),
    });
    expect(daily?.code).toBe('quota_exhausted');
    const codes = [401, 404, 400, 500].map(
      (status) => interpretGa4({ status, headers, body: body(status, 'm') })?.code,
    );
    expect(codes).toEqual(['auth_expired', 'not_found', 'invalid_request', 'transient']);
    expect(interpretGa4({ status: 502, headers, body: 'bad gateway' })?.code).toBe('transient');
  });

  it('reports a daily quota with a day to wait, and takes a configured token', async () => {
    const registry = createConnectorRegistry({
      clock: h.clock,
      sandbox: h.sandbox.urls,
      env: { ...env, GA4_ACCESS_TOKEN: 'ya29.given' },
      fetch: async (input, init) =>
        String(input).endsWith(':runReport')
          ? new Response(
              JSON.stringify({
                error: {
                  code: 429,
                  message:
                    'Exhausted property tokens per day. These quota tokens will return tomorrow.',
                  status: 'RESOURCE_EXHAUSTED',
                },
              }),
              {
                status: 429,
                headers: { 'content-type': 'application/json' },
              },
            )
          : fetch(input, init),
    });
    const daily = await failure(
      registry.get('ga4').fetchMetrics!({ from: '2026-01-01', to: '2026-01-01' }),
    );
    expect([daily.code, daily.retryAfterMs]).toEqual(['quota_exhausted', 86_400_000]);
    expect(() => createConnectorRegistry({ env: { GA4_PROPERTY_ID: '1' } }).get('ga4')).toThrow(
      /GA4_CLIENT_ID, GA4_CLIENT_SECRET, GA4_REFRESH_TOKEN/,
    );
  });
});
