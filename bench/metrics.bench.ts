/**
 * Metrics benchmark: collection from every sandbox platform that reports metrics, for N
 * campaigns (default 1,000) over 90 days, through the real connectors at the platforms' real
 * quotas, on one SimulatedClock shared by sandbox and connectors, so quota waits are
 * simulated. Reports the simulated wall time against the minimum the quotas allow (computed
 * from the requests each quota lane received: `(ceil(n / limit) − 1) × window` for a rolling
 * window, and `n / limit × window` at the sustained rate), the requests the sandbox refused
 * with 429 (quota exceeded), the rows stored, and the real time taken.
 *
 * Env: HERALD_BENCH_CAMPAIGNS (default 1000), HERALD_BENCH_DAYS (default 90).
 * Run: npx tsx bench/run.ts metrics
 */
import { performance } from 'node:perf_hooks';
import { createConnectorRegistry } from '../src/connectors/connector-registry.js';
import { collectMetrics, type CollectionTarget } from '../src/metrics/metrics-collector.js';
import { openMetricsDatabase } from '../src/metrics/metrics-database.js';
import { addDays } from '../src/metrics/reporting-day.js';
import { SANDBOX_CREDENTIALS } from '../src/sandbox/sandbox-credentials.js';
import type { QuotaLane, ReceivedRequest } from '../src/sandbox/sandbox-types.js';
import { seededRandom } from '../src/sandbox/seeded-random.js';
import { SANDBOX_PLATFORMS, startSandbox } from '../src/sandbox/start-sandbox.js';
import { SimulatedClock } from '../src/schedule/clock.js';
import type { Platform } from '../src/spec/platforms.js';

const START = Date.parse('2026-06-01T06:00:00Z');
const RATES = { base: 'USD', rates: { EUR: 0.92, GBP: 0.79, JPY: 155, CAD: 1.37, AUD: 1.52 } };

/** Requests per quota lane, from the sandbox log, classified by the fake's own lane rules. */
function laneLoad(platform: Platform, received: readonly ReceivedRequest[]) {
  const fake = SANDBOX_PLATFORMS[platform]!({
    clock: new SimulatedClock(0),
    seed: 1,
    random: seededRandom(1),
    deliver: () => undefined,
  });
  const lanes = new Map<string, { lane: QuotaLane; count: number }>();
  for (const request of received) {
    const lane = fake.lane(request);
    if (!lane) continue;
    const entry = lanes.get(lane.key) ?? { lane, count: 0 };
    entry.count++;
    lanes.set(lane.key, entry);
  }
  return [...lanes.values()].map(({ lane, count }) => ({
    lane: lane.key.replace(/Bearer [^:]+|[A-Za-z0-9._-]{20,}/g, '…'),
    limit: lane.limit,
    windowMs: lane.windowMs,
    requests: count,
    rollingMinimumMs: (Math.ceil(count / lane.limit) - 1) * lane.windowMs,
    sustainedMinimumMs: (count / lane.limit) * lane.windowMs,
  }));
}

export default async function metricsBench(): Promise<Record<string, unknown>> {
  const campaigns = Number(process.env.HERALD_BENCH_CAMPAIGNS ?? 1000);
  const days = Number(process.env.HERALD_BENCH_DAYS ?? 90);
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
    const lanes = laneLoad(platform, received);
    return {
      platform,
      requests: received.length,
      refused429: received.filter((r) => r.status === 429).length,
      rows: database.records({ campaignId: 'campaign-0', platform }).length,
      lanes,
    };
  });
  const lanes = perPlatform.flatMap((p) => p.lanes);
  const rollingMinimumMs = Math.max(0, ...lanes.map((l) => l.rollingMinimumMs));
  const sustainedMinimumMs = Math.max(0, ...lanes.map((l) => l.sustainedMinimumMs));
  const rowsStored = platforms.reduce(
    (sum, platform) => sum + database.records({ campaignId: 'campaign-0', platform }).length,
    0,
  );
  database.close();
  await sandbox.close();
  return {
    campaigns,
    days,
    platforms,
    targets: targets.length,
    stored,
    failed,
    failures,
    requests: perPlatform.reduce((s, p) => s + p.requests, 0),
    refused429: perPlatform.reduce((s, p) => s + p.refused429, 0),
    rowsPerCampaign: rowsStored,
    simulatedMs,
    rollingMinimumMs,
    sustainedMinimumMs,
    ratioToRollingMinimum: rollingMinimumMs > 0 ? simulatedMs / rollingMinimumMs : null,
    ratioToSustainedMinimum: sustainedMinimumMs > 0 ? simulatedMs / sustainedMinimumMs : null,
    realMs: Math.round(realMs),
    perPlatform,
  };
}
