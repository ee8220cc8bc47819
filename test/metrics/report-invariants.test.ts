import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createConnectorRegistry } from '../../src/connectors/connector-registry.js';
import type { ActionRequest, Connector } from '../../src/connectors/connector.js';
import { aggregateDaily } from '../../src/metrics/daily-metrics.js';
import { collectAll, type CollectionTarget } from '../../src/metrics/metrics-collector.js';
import { openMetricsDatabase } from '../../src/metrics/metrics-database.js';
import { buildReportData } from '../../src/metrics/report-data.js';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/sandbox-credentials.js';
import { startSandbox } from '../../src/sandbox/start-sandbox.js';
import { SimulatedClock } from '../../src/schedule/clock.js';
import type { Platform } from '../../src/spec/platforms.js';

const START = Date.parse('2026-11-25T12:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A random campaign: e-mail steps to parts of an audience, ad steps switched on and off. */
const campaign = fc.record({
  audience: fc.integer({ min: 5, max: 60 }),
  emails: fc.array(
    fc.record({ atHours: fc.integer({ min: 0, max: 72 }), share: fc.double({ min: 0.1, max: 1 }) }),
    { minLength: 1, maxLength: 2 },
  ),
  ads: fc.uniqueArray(
    fc.record({
      platform: fc.constantFrom<Platform>('google_ads', 'tiktok'),
      atHours: fc.integer({ min: 0, max: 72 }),
      liveHours: fc.option(fc.integer({ min: 1, max: 120 }), { nil: undefined }),
      budget: fc.option(fc.integer({ min: 5, max: 300 }), { nil: undefined }),
    }),
    { maxLength: 2, selector: (a) => a.platform },
  ),
  /** Another campaign's mail in the same account, which must not count. */
  foreign: fc.integer({ min: 0, max: 10 }),
  faults: fc.array(
    fc.record({
      platform: fc.constantFrom<Platform>('sendgrid', 'google_ads', 'tiktok'),
      kind: fc.constantFrom('5xx' as const, '429' as const),
    }),
    { maxLength: 3 },
  ),
  observeAfterDays: fc.integer({ min: 1, max: 8 }),
});

const AD_CAMPAIGN: Partial<Record<Platform, string>> = {
  google_ads: '111',
  tiktok: '1800000000000001',
};

function request(overrides: Partial<ActionRequest>): ActionRequest {
  return {
    campaignId: 'c',
    stepId: 's',
    platform: 'sendgrid',
    action: 'email',
    content: { subject: 'Hi', text: 'Hello', mediaUrls: [], variants: [] },
    options: {},
    currency: 'USD',
    recipients: [],
    idempotencyKey: `k-${String(Math.random())}`,
    ...overrides,
  };
}

describe('reports add up, over random campaigns with random faults', () => {
  it('counts only what was sent, sums per channel to the totals, and recomputes rates from counts', async () => {
    await fc.assert(
      fc.asyncProperty(campaign, async (c) => {
        const clock = new SimulatedClock(START);
        const sandbox = await startSandbox({
          clock,
          platforms: ['sendgrid', 'google_ads', 'tiktok'],
        });
        const database = openMetricsDatabase(':memory:');
        try {
          const registry = createConnectorRegistry({
            env: SANDBOX_CREDENTIALS,
            sandbox: sandbox.urls,
            clock,
          });
          const people = Array.from({ length: c.audience }, (_, i) => ({
            id: `p${String(i)}`,
            email: `p${String(i)}@example.com`,
          }));
          type Op = {
            at: number;
            run: (connector: Connector) => Promise<void>;
            platform: Platform;
          };
          const ops: Op[] = [];
          const entities = new Map<string, { platform: Platform; entity: string; at: number }>();
          c.emails.forEach((email, i) => {
            const stepId = `email-${String(i)}`;
            const at = START + email.atHours * HOUR;
            ops.push({
              at,
              platform: 'sendgrid',
              run: async (connector) => {
                const result = await connector.perform(
                  request({
                    stepId,
                    recipients: people.slice(0, Math.max(1, Math.round(c.audience * email.share))),
                  }),
                );
                entities.set(stepId, {
                  platform: 'sendgrid',
                  entity: result.outputs.metricsEntity!,
                  at,
                });
              },
            });
          });
          if (c.foreign > 0) {
            ops.push({
              at: START,
              platform: 'sendgrid',
              run: async (connector) => {
                await connector.perform(
                  request({ campaignId: 'other', recipients: people.slice(0, c.foreign) }),
                );
              },
            });
          }
          for (const ad of c.ads) {
            const at = START + ad.atHours * HOUR;
            const options = { campaignId: AD_CAMPAIGN[ad.platform]! };
            const ask = (o: Partial<ActionRequest>) =>
              request({ platform: ad.platform, stepId: ad.platform, options, ...o });
            if (ad.budget !== undefined) {
              ops.push({
                at,
                platform: ad.platform,
                run: async (connector) => {
                  await connector.perform(
                    ask({
                      action: 'budget_change',
                      budget: { amount: ad.budget!, period: 'daily' },
                    }),
                  );
                },
              });
            }
            ops.push({
              at,
              platform: ad.platform,
              run: async (connector) => {
                const result = await connector.perform(ask({ action: 'ad_launch' }));
                entities.set(ad.platform, {
                  platform: ad.platform,
                  entity: result.outputs.id!,
                  at,
                });
              },
            });
            if (ad.liveHours !== undefined) {
              ops.push({
                at: at + ad.liveHours * HOUR,
                platform: ad.platform,
                run: async (connector) => {
                  await connector.perform(ask({ action: 'ad_pause' }));
                },
              });
            }
          }
          for (const op of ops.sort((a, b) => a.at - b.at)) {
            clock.advanceTo(op.at);
            await op.run(registry.get(op.platform));
          }
          const lastAct = Math.max(...ops.map((o) => o.at));
          clock.advanceTo(lastAct + c.observeAfterDays * DAY);
          for (const fault of c.faults)
            sandbox.inject(
              fault.platform,
              fault.kind === '429'
                ? { kind: '429', retryAfterSeconds: 1 }
                : { kind: '5xx', status: 503 },
            );

          const day = (t: number) => new Date(t).toISOString().slice(0, 10);
          const range = { from: day(START), to: day(clock.now()) };
          const targets: CollectionTarget[] = [...entities].map(([stepId, e]) => ({
            campaignId: 'c',
            stepId,
            platform: e.platform,
            entities: [e.entity],
            currency: 'USD',
            zone: 'UTC',
            // As CampaignMetrics does: from the day the step first called its platform.
            from: day(e.at),
            to: range.to,
          }));
          const events = await collectAll(targets, {
            connectors: registry,
            database,
            clock,
            rates: { base: 'USD', rates: {} },
          });
          expect(events.filter((e) => e.type === 'metrics.failed')).toEqual([]);
          const observedAt = clock.now();
          const rows = aggregateDaily(database.records({ campaignId: 'c' }), range);
          const report = buildReportData('c', 'USD', rows);

          // Sent ≤ audience; delivered ≤ sent; both exactly the sandbox's record of this campaign.
          const mine = sandbox.engagement('sendgrid').filter((m) => m.categories.includes('c'));
          const happened = (kind: string) =>
            mine.filter((m) => m.events.some((e) => e.kind === kind && e.at <= observedAt)).length;
          expect(report.totals.sends ?? 0).toBe(mine.length);
          expect(mine.length).toBeLessThanOrEqual(c.audience * c.emails.length);
          expect(report.totals.deliveries ?? 0).toBe(happened('delivered'));
          expect(report.totals.deliveries ?? 0).toBeLessThanOrEqual(report.totals.sends ?? 0);
          expect(report.totals.unique_opens ?? 0).toBe(happened('open'));

          // Per-channel sums are the totals.
          for (const field of ['sends', 'deliveries', 'clicks', 'impressions', 'spend'] as const) {
            const sum = report.platforms.reduce(
              (s, p) => s + (report.totalsByPlatform[p]?.[field] ?? 0),
              0,
            );
            expect(sum).toBeCloseTo(report.totals[field] ?? 0, 6);
          }

          // Rates recomputed from counts; the overall CTR lies between the channels'.
          const ctrs = report.kpisByPlatform.filter((k) => k.kpi === 'ctr').map((k) => k.value);
          const ctr = report.kpis.ctr;
          if (ctr.value !== undefined) {
            expect(ctr.value).toBeCloseTo(ctr.numerator! / ctr.denominator!, 12);
            expect(ctr.value).toBeGreaterThanOrEqual(Math.min(...ctrs) - 1e-12);
            expect(ctr.value).toBeLessThanOrEqual(Math.max(...ctrs) + 1e-12);
          }
          const open = report.kpis.open_rate;
          if (open.value !== undefined) expect(open.value).toBeLessThanOrEqual(1);

          // Ads spend only while live: never more than the budget over the days they were on.
          for (const ad of c.ads) {
            const spent = report.totalsByPlatform[ad.platform]?.spend ?? 0;
            const budget = ad.budget ?? (ad.platform === 'google_ads' ? 50 : 100);
            const liveMs = Math.min(
              ad.liveHours === undefined ? Infinity : ad.liveHours * HOUR,
              observedAt - (START + ad.atHours * HOUR),
            );
            expect(spent).toBeLessThanOrEqual((budget * liveMs) / DAY + 0.01);
          }

          // Nothing dated before a step ran.
          const first = day(Math.min(...[...entities.values()].map((e) => e.at)));
          for (const row of rows.filter((r) => r.status !== 'missing'))
            expect(row.day >= first, `${row.platform} ${row.day} before ${first}`).toBe(true);
        } finally {
          database.close();
          await sandbox.close();
        }
      }),
      { numRuns: 12, seed: 20_261_204 },
    );
  }, 240_000);
});
