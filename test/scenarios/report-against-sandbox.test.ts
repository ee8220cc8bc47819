import { afterEach, describe, expect, it } from 'vitest';
import { CampaignMetrics } from '../../src/actors/campaign-metrics.js';
import { campaignFromText } from '../../src/cli/load-campaign.js';
import { openMetricsDatabase } from '../../src/metrics/metrics-database.js';
import { buildReportData } from '../../src/metrics/report-data.js';
import { SCENARIO_NOW, scenarioWorld } from './scenario-harness.js';

let world: Awaited<ReturnType<typeof scenarioWorld>> | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const TEXT =
  'Email the winter newsletter Tuesday Dec 1 at 9am ET to everyone who opted in to email. ' +
  'Text everyone who opted in to SMS on Dec 1 at 10am ET. ' +
  'Google Ads and TikTok ads both start Tue Dec 1 at 5am Pacific, $100/day each. ' +
  'Pause the TikTok ads if CPC is above $0.50 after 2 days.';

const DAY = 86_400_000;

describe('a multi-channel campaign with a rule, reported', () => {
  it('reports exactly what the sandbox accepted: mail and texts per recipient, ad spend only while live', async () => {
    world = await scenarioWorld();
    const { spec } = campaignFromText('multi.txt', TEXT, SCENARIO_NOW);
    const configured = {
      ...spec,
      steps: spec.steps.map((s) =>
        s.platform === 'tiktok'
          ? { ...s, options: { campaignId: '1800000000000001' } }
          : s.platform === 'google_ads'
            ? { ...s, options: { campaignId: '111', budgetId: '222' } }
            : s,
      ),
    };
    const database = openMetricsDatabase(world.storeFile);
    const metrics = new CampaignMetrics({
      system: world.system,
      store: world.store,
      connectors: world.connectors,
      database,
      clock: world.clock,
      audience: world.audience,
    });
    const id = await world.system.launch(configured, { id: 'multi' });
    const stop = metrics.watch(id);
    const done = await world.system.settled(id);
    stop();
    expect(done.status).toBe('completed');
    expect(metrics.errors).toEqual([]);
    const collected = await metrics.collect(id);
    expect(collected.failures).toEqual([]);
    const now = world.clock.now();
    const report = buildReportData(id, 'USD', database.daily({ campaignId: id }));
    const { sandbox } = world;

    // E-mail: every count is the sandbox's own record of the mails it accepted for this campaign.
    const mails = sandbox.engagement('sendgrid').filter((m) => m.categories.includes(id));
    const happened = (kind: string) =>
      mails.filter((m) => m.events.some((e) => e.kind === kind && e.at <= now)).length;
    const email = report.totalsByPlatform.sendgrid!;
    expect(email.sends).toBe(sandbox.deliveries('sendgrid').length);
    expect(email.sends).toBe(mails.length);
    expect(email.deliveries).toBe(happened('delivered'));
    expect(email.bounces).toBe(happened('bounce'));
    expect(email.unique_opens).toBe(happened('open'));
    expect(email.unique_clicks).toBe(happened('click'));
    expect(email.unsubscribes).toBe(happened('unsubscribe'));

    // SMS: every text the sandbox accepted, delivered unless the handset was unreachable.
    const texts = sandbox.engagement('twilio');
    const sms = report.totalsByPlatform.twilio!;
    expect(texts.length).toBeGreaterThan(0);
    expect(sms.sends).toBe(texts.length);
    expect(sms.deliveries).toBe(
      texts.filter((t) => t.events.some((e) => e.kind === 'delivered')).length,
    );

    // Ads: spend only from the launch, never above the platform budget over the time live.
    const launchedAt = Date.parse('2026-12-01T13:00:00Z');
    const tiktokPause = sandbox
      .received('tiktok')
      .find(
        (r) =>
          r.path.endsWith('/campaign/status/update/') && JSON.stringify(r.body).includes('DISABLE'),
      );
    const live = {
      google_ads: { budget: 50, until: now },
      tiktok: { budget: 100, until: tiktokPause?.at ?? now },
    };
    for (const [platform, { budget, until }] of Object.entries(live) as [
      'google_ads' | 'tiktok',
      { budget: number; until: number },
    ][]) {
      const spent = report.totalsByPlatform[platform]!.spend!;
      expect(spent, platform).toBeGreaterThan(0);
      expect(spent, platform).toBeLessThanOrEqual((budget * (until - launchedAt)) / DAY + 0.01);
      const days = report.spend.filter((p) => p.platform === platform && (p.value ?? 0) > 0);
      expect(days[0]!.day >= '2026-12-01', platform).toBe(true);
    }

    // The whole adds up across channels, and the automatic action is in the report with its reason.
    for (const field of ['sends', 'deliveries', 'clicks', 'spend'] as const) {
      const sum = report.platforms.reduce(
        (s, p) => s + (report.totalsByPlatform[p]?.[field] ?? 0),
        0,
      );
      expect(report.totals[field] ?? 0).toBeCloseTo(sum, 6);
    }
    const actions = metrics.engine.actions(id);
    expect(actions.map((a) => a.ruleId)).toEqual(['condition-1']);
    expect(actions[0]!.explanation).toMatch(
      /CPC of step tiktok-ad-launch is USD \d+\.\d\d, above USD 0\.50/,
    );
    expect(tiktokPause).toBeDefined();
    database.close();
  }, 120_000);
});
