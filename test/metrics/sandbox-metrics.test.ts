import { afterEach, describe, expect, it } from 'vitest';
import { createConnectorRegistry } from '../../src/connectors/connector-registry.js';
import { collectAll } from '../../src/metrics/metrics-collector.js';
import { openMetricsDatabase, type MetricsDatabase } from '../../src/metrics/metrics-database.js';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/sandbox-credentials.js';
import { SANDBOX_PLATFORMS, startSandbox, type Sandbox } from '../../src/sandbox/start-sandbox.js';
import { SimulatedClock } from '../../src/schedule/clock.js';
import type { Platform } from '../../src/spec/platforms.js';

let sandbox: Sandbox | undefined;
let database: MetricsDatabase | undefined;
afterEach(async () => {
  database?.close();
  await sandbox?.close();
});

describe('collection from every sandbox platform', () => {
  it('stores each platform that reports metrics, normalised, with nothing rejected', async () => {
    const clock = new SimulatedClock(Date.parse('2026-03-20T12:00:00Z'));
    const all = Object.keys(SANDBOX_PLATFORMS) as Platform[];
    sandbox = await startSandbox({ platforms: all, clock, seed: 9 });
    const connectors = createConnectorRegistry({
      env: SANDBOX_CREDENTIALS,
      clock,
      sandbox: sandbox.urls,
    });
    const platforms = all.filter((p) => connectors.get(p).fetchMetrics !== undefined);
    expect(platforms).toContain('sendgrid');
    database = openMetricsDatabase(':memory:');
    const events = await collectAll(
      platforms.map((platform) => ({
        campaignId: 'c',
        stepId: platform,
        platform,
        currency: 'USD',
        zone: 'Europe/London',
        from: '2026-03-01',
        to: '2026-03-07',
      })),
      {
        connectors,
        database,
        clock,
        rates: { base: 'USD', rates: { EUR: 0.92, GBP: 0.79, JPY: 155, CAD: 1.37, AUD: 1.52 } },
      },
    );
    expect(events.filter((e) => e.type === 'metrics.failed')).toEqual([]);
    for (const event of events) {
      if (event.type !== 'metrics.stored') continue;
      expect(event.rejected, event.platform).toEqual([]);
      if (event.rows === 0) continue;
      const daily = database.daily({
        campaignId: 'c',
        platform: event.platform,
        from: '2026-03-01',
        to: '2026-03-07',
      });
      expect(daily.filter((d) => d.status !== 'missing').length, event.platform).toBeGreaterThan(0);
      for (const day of daily.filter((d) => d.status !== 'missing')) {
        expect(Object.keys(day.values).length, `${event.platform} ${day.day}`).toBeGreaterThan(0);
        for (const value of Object.values(day.values)) expect(Number.isFinite(value)).toBe(true);
      }
    }
    const mail = database.daily({
      campaignId: 'c',
      platform: 'sendgrid',
      from: '2026-03-01',
      to: '2026-03-07',
    });
    // Nothing was sent and no ad was switched on: the sandbox reports nothing of either.
    expect(mail.every((d) => (d.values.sends ?? 0) === 0)).toBe(true);
    for (const platform of ['google_ads', 'tiktok', 'meta_ads'] as const) {
      const stored = events.find((e) => e.type === 'metrics.stored' && e.platform === platform);
      expect(stored && stored.type === 'metrics.stored' ? stored.rows : -1, platform).toBe(0);
    }
  });
});
