import { Subject } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Connector, MetricsRow } from '../../src/connectors/connector.js';
import { ConnectorError } from '../../src/connectors/connector-error.js';
import {
  CONNECTOR_FACTORIES,
  createConnectorRegistry,
  type ConnectorFactory,
} from '../../src/connectors/connector-registry.js';
import { HeraldError } from '../../src/errors.js';
import {
  collectAll,
  collectMetrics,
  type CollectionEvent,
  type CollectionTarget,
  type CollectOptions,
} from '../../src/metrics/metrics-collector.js';
import { openMetricsDatabase, type MetricsDatabase } from '../../src/metrics/metrics-database.js';
import { SimulatedClock } from '../../src/schedule/clock.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/start-sandbox.js';
import type { Platform } from '../../src/spec/platforms.js';
import { dailyRows, fakeMetricsConnector, FIXTURE_ROWS } from './platform-fixtures.js';

const env = { SENDGRID_API_KEY: 'SG.test', SENDGRID_FROM_EMAIL: 'news@acme.test' };
const rates = { base: 'USD', rates: { EUR: 0.8, JPY: 150 } };
const NOW = Date.parse('2026-03-20T12:00:00Z');

let sandbox: Sandbox | undefined;
let database: MetricsDatabase | undefined;
afterEach(async () => {
  database?.close();
  await sandbox?.close();
  sandbox = undefined;
});

function target(platform: Platform, extra: Partial<CollectionTarget> = {}): CollectionTarget {
  return {
    campaignId: 'spring',
    stepId: platform,
    platform,
    currency: 'USD',
    zone: 'UTC',
    from: '2026-03-01',
    to: '2026-03-07',
    ...extra,
  };
}

function options(
  clock: SimulatedClock,
  fakes: Partial<Record<Platform, Connector>>,
  extra: Partial<CollectOptions> = {},
): CollectOptions {
  database = openMetricsDatabase(':memory:');
  const factories: Partial<Record<string, ConnectorFactory>> = { ...CONNECTOR_FACTORIES };
  for (const [platform, connector] of Object.entries(fakes)) factories[platform] = () => connector;
  return {
    connectors: createConnectorRegistry({
      env,
      clock,
      ...(sandbox ? { sandbox: sandbox.urls } : {}),
      factories,
    }),
    database,
    rates,
    clock,
    random: () => 0.5,
    ...extra,
  };
}

const googleRows = (day: string): MetricsRow['metrics'] => ({
  ...FIXTURE_ROWS.google_ads.metrics,
  impressions: String(1000 + Number(day.slice(-2))),
});

describe('collectMetrics', () => {
  it('collects the SendGrid sandbox and fixture platforms in parallel and stores them normalised', async () => {
    const clock = new SimulatedClock(Date.parse('2026-03-03T10:00:00Z'));
    sandbox = await startSandbox({ platforms: ['sendgrid'], clock, seed: 5 });
    const google = fakeMetricsConnector('google_ads', {
      rows: (r) => dailyRows(r, googleRows, { entity: '111', currency: 'USD', timeZone: 'UTC' }),
    });
    const tiktok = fakeMetricsConnector('tiktok', {
      rows: (r) =>
        dailyRows(r, () => FIXTURE_ROWS.tiktok.metrics, {
          currency: 'JPY',
          timeZone: 'Asia/Tokyo',
        }),
    });
    const opts = options(clock, { google_ads: google, tiktok });
    const people = Array.from({ length: 40 }, (_, i) => ({
      id: `p${String(i)}`,
      email: `p${String(i)}@example.com`,
    }));
    await opts.connectors.get('sendgrid').perform({
      campaignId: 'spring',
      stepId: 'email',
      platform: 'sendgrid',
      action: 'email',
      content: { subject: 'Spring', text: 'Hello', mediaUrls: [], variants: [] },
      options: {},
      currency: 'USD',
      recipients: people,
      idempotencyKey: 'spring:email:0',
    });
    clock.advanceTo(NOW);
    const events = await collectAll(
      [target('email'), target('google_ads'), target('tiktok')],
      opts,
    );
    expect(events[0]!.type).toBe('metrics.started');
    expect(events.at(-1)).toMatchObject({ type: 'metrics.completed', stored: 3, failed: 0 });
    expect(events.filter((e) => e.type === 'metrics.progress').at(-1)).toMatchObject({
      done: 3,
      total: 3,
    });
    const mail = database!.daily({
      campaignId: 'spring',
      platform: 'sendgrid',
      from: '2026-03-01',
      to: '2026-03-07',
    });
    expect(mail).toHaveLength(7);
    // The sandbox's own record of the 40 messages decides every count.
    const record = sandbox.engagement('sendgrid');
    const count = (kind: string) =>
      record.filter((m) => m.events.some((e) => e.kind === kind && e.at <= NOW)).length;
    expect(mail[2]!.values).toMatchObject({ sends: 40, deliveries: count('delivered') });
    const total = (field: 'sends' | 'unique_opens') =>
      mail.reduce((sum, d) => sum + (d.values[field] ?? 0), 0);
    expect(total('unique_opens')).toBe(count('open'));
    expect(total('sends')).toBe(40);
    expect(mail.every((d) => d.status === 'complete')).toBe(true);
    const ads = database!.daily({
      campaignId: 'spring',
      platform: 'google_ads',
      from: '2026-03-01',
      to: '2026-03-07',
    });
    expect(ads[0]!.values).toMatchObject({ impressions: 1001, spend: 412.5 });
    const tik = database!.daily({
      campaignId: 'spring',
      platform: 'tiktok',
      from: '2026-03-01',
      to: '2026-03-07',
    });
    expect(tik[0]!.values.spend).toBeCloseTo(6865 / 150, 6);
    // The request widens by a day each side for zone shifts.
    expect(google.requests[0]).toMatchObject({ from: '2026-02-28', to: '2026-03-08' });
  });

  it('reports a failing platform and stores the others; retries retryable failures', async () => {
    const clock = new SimulatedClock(NOW);
    const broken = fakeMetricsConnector('meta_ads', {
      rows: () => [],
      failures: [
        new ConnectorError({
          platform: 'meta_ads',
          code: 'permission_denied',
          message: 'no ads_read',
        }),
      ],
    });
    const flaky = fakeMetricsConnector('google_ads', {
      rows: (r) => dailyRows(r, googleRows, { currency: 'USD' }),
      failures: [
        new ConnectorError({
          platform: 'google_ads',
          code: 'transient',
          message: 'circuit open',
          retryAfterMs: 5000,
        }),
      ],
    });
    const odd = fakeMetricsConnector('tiktok', { rows: () => [], failures: [new Error('boom')] });
    const herald = fakeMetricsConnector('ga4', {
      rows: () => [],
      failures: [new HeraldError('bad', 'no')],
    });
    const opts = options(clock, { meta_ads: broken, google_ads: flaky, tiktok: odd, ga4: herald });
    const events = await collectAll(
      [target('meta_ads'), target('google_ads'), target('tiktok'), target('ga4')],
      opts,
    );
    const failed = events.filter((e) => e.type === 'metrics.failed');
    expect(failed.map((e) => [e.platform, e.error.code])).toEqual(
      expect.arrayContaining([
        ['meta_ads', 'permission_denied'],
        ['tiktok', 'unexpected'],
        ['ga4', 'bad'],
      ]),
    );
    const stored = events.find((e) => e.type === 'metrics.stored');
    expect(stored).toMatchObject({ platform: 'google_ads', attempts: 2 });
    expect(clock.now()).toBeGreaterThanOrEqual(NOW + 5000);
    expect(database!.records({ campaignId: 'spring', platform: 'google_ads' })).toHaveLength(7);
  });

  it('gives up after the policy allows no more attempts', async () => {
    const clock = new SimulatedClock(NOW);
    const down = fakeMetricsConnector('google_ads', {
      rows: () => [],
      failures: [1, 2, 3].map(
        () => new ConnectorError({ platform: 'google_ads', code: 'transient', message: 'down' }),
      ),
    });
    const events = await collectAll(
      [target('google_ads')],
      options(clock, { google_ads: down }, { retry: { maximumAttempts: 2 } }),
    );
    expect(events.find((e) => e.type === 'metrics.failed')).toMatchObject({ attempts: 2 });
  });

  it('fetches only unsettled days on the next run, and nothing once all are settled', async () => {
    const clock = new SimulatedClock(Date.parse('2026-03-06T12:00:00Z'));
    const google = fakeMetricsConnector('google_ads', {
      rows: (r) => dailyRows(r, googleRows, { currency: 'USD' }),
    });
    const opts = options(clock, { google_ads: google });
    await collectAll([target('google_ads')], opts);
    // Today is the 6th; Google Ads settles after 3 days, so the 3rd is the last settled day.
    expect(database!.cursor('spring', 'google_ads', 'google_ads')).toBe('2026-03-03');
    clock.advanceTo(Date.parse('2026-03-07T12:00:00Z'));
    await collectAll([target('google_ads')], opts);
    expect(google.requests[1]).toMatchObject({ from: '2026-03-04', to: '2026-03-08' });
    clock.advanceTo(Date.parse('2026-03-30T12:00:00Z'));
    await collectAll([target('google_ads')], opts);
    const last = await collectAll([target('google_ads')], opts);
    expect(last.find((e) => e.type === 'metrics.skipped')).toMatchObject({
      reason: 'settled up to 2026-03-08',
    });
    const full = await collectAll([target('google_ads')], { ...opts, full: true });
    expect(full.find((e) => e.type === 'metrics.stored')).toBeDefined();
  });

  it('keeps each platform within its concurrency limit', async () => {
    const clock = new SimulatedClock(NOW);
    let inFlight = 0;
    let peak = 0;
    const slow = fakeMetricsConnector('google_ads', {
      rows: (r) => dailyRows(r, googleRows, { currency: 'USD' }),
      onFetch: async () => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
      },
    });
    const targets = Array.from({ length: 9 }, (_, i) =>
      target('google_ads', { campaignId: `c${String(i)}` }),
    );
    await collectAll(
      targets,
      options(clock, { google_ads: slow }, { concurrency: { google_ads: 2 }, batch: false }),
    );
    expect(peak).toBe(2);
  });

  it('shares one request among targets asking for the same days', async () => {
    const clock = new SimulatedClock(NOW);
    const google = fakeMetricsConnector('google_ads', {
      rows: (r) =>
        (r.entities ?? ['']).flatMap((entity) =>
          dailyRows(r, googleRows, { currency: 'USD', ...(entity ? { entity } : {}) }),
        ),
    });
    const account = Array.from({ length: 3 }, (_, i) =>
      target('google_ads', { campaignId: `a${String(i)}` }),
    );
    const named = Array.from({ length: 5 }, (_, i) =>
      target('google_ads', { campaignId: `e${String(i)}`, entities: [`id-${String(i)}`] }),
    );
    await collectAll(
      [...account, ...named],
      options(clock, { google_ads: google }, { maxEntitiesPerRequest: 2 }),
    );
    expect(google.requests.map((r) => r.entities ?? 'account')).toEqual([
      'account',
      ['id-0', 'id-1'],
      ['id-2', 'id-3'],
      ['id-4'],
    ]);
    expect(database!.records({ campaignId: 'a2' })).toHaveLength(7);
    expect(database!.records({ campaignId: 'e3' }).map((r) => r.entity)).toEqual(
      Array.from({ length: 7 }, () => 'id-3'),
    );
  });

  it('removes duplicate rows, keeps only wanted entities, rejects unreadable rows and marks missing days', async () => {
    const clock = new SimulatedClock(NOW);
    const rows: MetricsRow[] = [
      { date: '2026-03-01', entity: 'a', currency: 'USD', metrics: googleRows('2026-03-01') },
      { date: '2026-03-01', entity: 'a', currency: 'USD', metrics: googleRows('2026-03-01') },
      { date: '2026-03-01', entity: 'b', currency: 'USD', metrics: googleRows('2026-03-01') },
      { date: '2026-03-03', entity: 'a', currency: 'USD', metrics: { impressions: '5' } },
      { date: 'soon', entity: 'a', metrics: {} },
      { date: '2026-03-01', metrics: googleRows('2026-03-01'), currency: 'USD' },
    ];
    const google = fakeMetricsConnector('google_ads', { rows: () => rows });
    const events = await collectAll(
      [target('google_ads', { entities: ['a'], to: '2026-03-04' })],
      options(clock, { google_ads: google }),
    );
    const stored = events.find((e) => e.type === 'metrics.stored');
    expect(stored).toMatchObject({
      rows: 6,
      rejected: ['"soon" is not a date (expected YYYY-MM-DD or YYYYMMDD)'],
    });
    const daily = database!.daily({ campaignId: 'spring', from: '2026-03-01', to: '2026-03-04' });
    expect(daily.map((d) => d.status)).toEqual(['complete', 'missing', 'partial', 'missing']);
    expect(daily[0]!.entities).toBe(2);
    expect(daily[0]!.values.impressions).toBe(2002);
    expect(daily[2]!.missing).toContain('spend');
  });

  it('skips platforms without metrics and emits events as an observable', async () => {
    const clock = new SimulatedClock(NOW);
    const slack: Connector = {
      ...fakeMetricsConnector('slack', { rows: () => [] }),
      fetchMetrics: undefined,
    } as unknown as Connector;
    const seen = new Subject<CollectionEvent>();
    const types: string[] = [];
    seen.subscribe((e) => types.push(e.type));
    await new Promise<void>((resolve) => {
      collectMetrics([target('slack')], options(clock, { slack })).subscribe({
        next: (e) => seen.next(e),
        complete: resolve,
      });
    });
    expect(types).toEqual([
      'metrics.started',
      'metrics.skipped',
      'metrics.progress',
      'metrics.completed',
    ]);
  });
});
