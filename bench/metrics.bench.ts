/**
 * Metrics benchmark: collection from every sandbox platform that reports metrics, for N
 * campaigns (default 1,000) over 90 days, through the real connectors at the platforms' real
 * quotas, on one SimulatedClock shared by sandbox and connectors, so quota waits are
 * simulated. Two runs: `shared` (the collector's default: campaigns asking a platform for the
 * same days share requests) and `perCampaign` (one request per campaign and platform, the
 * quota-bound case). Each reports the simulated wall time against the minimum the quotas
 * allow for the requests made (see `laneLoad`) and against the sustained quota rate, the
 * requests the sandbox refused with 429 (quota exceeded), rows stored and real time.
 *
 * Env: HERALD_BENCH_CAMPAIGNS (default 1000), HERALD_BENCH_DAYS (default 90),
 * HERALD_BENCH_MODES (default "shared,perCampaign").
 * Run: npx tsx bench/run.ts metrics
 */
import { performance } from 'node:perf_hooks';
import { createConnectorRegistry } from '../src/connectors/connector-registry.js';
import { collectMetrics, type CollectionTarget } from '../src/metrics/metrics-collector.js';
import { openMetricsDatabase } from '../src/metrics/metrics-database.js';
import { addDays } from '../src/metrics/reporting-day.js';
import { SANDBOX_CREDENTIALS } from '../src/sandbox/sandbox-credentials.js';
import type { QuotaLane, ReceivedRequest } from '../src/sandbox/sandbox-types.js';
import { seededRandom } from '../src/seeded-random.js';
import { SANDBOX_PLATFORMS, startSandbox } from '../src/sandbox/start-sandbox.js';
import { SimulatedClock } from '../src/schedule/clock.js';
import type { Platform } from '../src/spec/platforms.js';

const START = Date.parse('2026-06-01T06:00:00Z');
const RATES = { base: 'USD', rates: { EUR: 0.92, GBP: 0.79, JPY: 155, CAD: 1.37, AUD: 1.52 } };

/**
 * Requests per quota lane, from the sandbox log, classified by the fake's own lane rules. A
 * lane whose key ends in a date is a calendar-day window (it resets at midnight UTC); others
 * are rolling windows. The minimum time the quota allows for `n` requests is the start of
 * the window in which the last one may go: `(ceil(n / limit) − 1)` windows on, counted from
 * the first request (rolling) or from the start of the current day (calendar).
 */
function laneLoad(platform: Platform, received: readonly ReceivedRequest[], start: number) {
  const fake = SANDBOX_PLATFORMS[platform]!({
    clock: new SimulatedClock(0),
    seed: 1,
    random: seededRandom(1),
    deliver: () => undefined,
  });
  const lanes = new Map<string, { lane: QuotaLane; count: number; calendar: boolean }>();
  for (const request of received) {
    const lane = fake.lane(request);
    if (!lane) continue;
    const calendar = /:\d{4}-\d{2}-\d{2}$/.test(lane.key);
    const key = lane.key.replace(/:\d{4}-\d{2}-\d{2}$/, '');
    const entry = lanes.get(key) ?? { lane, count: 0, calendar };
    entry.count++;
    lanes.set(key, entry);
  }
  return [...lanes.values()].map(({ lane, count, calendar }) => {
    const windows = Math.ceil(count / lane.limit) - 1;
    const minimumMs =
      windows <= 0
        ? 0
        : calendar
          ? Math.floor(start / lane.windowMs) * lane.windowMs + windows * lane.windowMs - start
          : windows * lane.windowMs;
    return {
      limit: lane.limit,
      windowMs: lane.windowMs,
      window: calendar ? 'calendar' : 'rolling',
      requests: count,
      minimumMs,
      sustainedMs: (count / lane.limit) * lane.windowMs,
    };
  });
}

/** One collection of every campaign from every platform; `batch` shares requests. */
async function run(campaigns: number, days: number, batch: boolean) {
  const clock = new SimulatedClock(START);
  const all = Object.keys(SANDBOX_PLATFORMS) as Platform[];
  const sandbox = await startSandbox({ platforms: all, clock, seed: 7 });
  const connectors = createConnectorRegistry({
    env: SANDBOX_CREDENTIALS,
    clock,
    sandbox: sandbox.urls,
    random: seededRandom(3),
  });
  const platforms = all.filter((p) => connectors.get(p).fetchMetrics !== undefined);
  const database = openMetricsDatabase(':memory:');
  const to = addDays(new Date(START).toISOString().slice(0, 10), -1);
  const from = addDays(to, -(days - 1));
  const targets: CollectionTarget[] = [];
  for (let c = 0; c < campaigns; c++) {
    for (const platform of platforms) {
      targets.push({
        campaignId: `campaign-${String(c)}`,
        stepId: platform,
        platform,
        currency: 'USD',
        zone: 'America/New_York',
        from,
        to,
      });
    }
  }
  const started = performance.now();
  let stored = 0;
  let failed = 0;
  const failures: string[] = [];
  await new Promise<void>((resolve, reject) => {
    collectMetrics(targets, {
      connectors,
      database,
      rates: RATES,
      clock,
      defaultConcurrency: 8,
      batch,
    }).subscribe({
      next: (event) => {
        if (event.type === 'metrics.stored') stored++;
        if (event.type === 'metrics.failed') {
          failed++;
          if (failures.length < 5) failures.push(`${event.platform}: ${event.error.message}`);
        }
      },
      error: reject,
      complete: resolve,
    });
  });
  const realMs = performance.now() - started;
  const simulatedMs = clock.now() - START;
  const perPlatform = platforms.map((platform) => {
    const received = sandbox.received(platform);
    const lanes = laneLoad(platform, received, START);
    return {
      platform,
      requests: received.length,
      refused429: received.filter((r) => r.status === 429).length,
      rowsPerCampaign: database.records({ campaignId: 'campaign-0', platform }).length,
      minimumMs: Math.max(0, ...lanes.map((l) => l.minimumMs)),
      lanes,
    };
  });
  const minimumMs = Math.max(0, ...perPlatform.map((p) => p.minimumMs));
  const sustainedMs = Math.max(0, ...perPlatform.flatMap((p) => p.lanes.map((l) => l.sustainedMs)));
  database.close();
  await sandbox.close();
  return {
    batch,
    platforms,
    targets: targets.length,
    stored,
    failed,
    failures,
    requests: perPlatform.reduce((s, p) => s + p.requests, 0),
    refused429: perPlatform.reduce((s, p) => s + p.refused429, 0),
    rowsPerCampaign: perPlatform.reduce((s, p) => s + p.rowsPerCampaign, 0),
    simulatedMs,
    simulatedHours: Math.round((simulatedMs / 3_600_000) * 100) / 100,
    quotaMinimumMs: minimumMs,
    ratioToQuotaMinimum: minimumMs > 0 ? simulatedMs / minimumMs : null,
    sustainedRateMs: sustainedMs,
    ratioToSustainedRate: sustainedMs > 0 ? simulatedMs / sustainedMs : null,
    realMs: Math.round(realMs),
    perPlatform,
  };
}

export default async function metricsBench(): Promise<Record<string, unknown>> {
  const campaigns = Number(process.env.HERALD_BENCH_CAMPAIGNS ?? 1000);
  const days = Number(process.env.HERALD_BENCH_DAYS ?? 90);
  const modes = (process.env.HERALD_BENCH_MODES ?? 'shared,perCampaign').split(',');
  const out: Record<string, unknown> = { campaigns, days };
  // Shared requests are the collector's default; one request per campaign and platform is the
  // quota-bound worst case (campaigns without entity ids of their own).
  if (modes.includes('shared')) out.shared = await run(campaigns, days, true);
  if (modes.includes('perCampaign')) out.perCampaign = await run(campaigns, days, false);
  return out;
}
