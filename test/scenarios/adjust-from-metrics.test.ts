import { afterEach, describe, expect, it } from 'vitest';
import { CampaignMetrics } from '../../src/actors/campaign-metrics.js';
import { openMetricsDatabase } from '../../src/metrics/metrics-database.js';
import { campaignFromText } from '../../src/cli/load-campaign.js';
import { SCENARIO_NOW, scenarioWorld } from './scenario-harness.js';

let world: Awaited<ReturnType<typeof scenarioWorld>> | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const TEXT =
  'Google Ads and TikTok ads both start Mon Nov 30 at 5am Pacific, $200/day each. ' +
  'Pause the TikTok ads if CPC is above $0.01 after 2 days. ' +
  'After the first 3 days, move the budget to whichever has the better ROAS. ' +
  'Send the holiday newsletter Tuesday Dec 1 at 9am ET to everyone who opted in to email. ' +
  'If the open rate is below 95% after 24 hours, resend to non-openers with a new subject line. ' +
  'Pause the Google Ads Dec 20 at 11:59pm PT.';

describe('scenario 3: dynamic adjustment from metrics', () => {
  it('pauses the expensive ad on its platform and acts on the newsletter once each, logging why in plain English', async () => {
    world = await scenarioWorld();
    const { spec } = campaignFromText('adjust.txt', TEXT, SCENARIO_NOW);
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
    });
    const id = await world.system.launch(configured, { id: 'adjust' });
    const stop = metrics.watch(id);
    const report = await world.system.settled(id);
    stop();
    expect(report.status).toBe('completed');
    expect(metrics.errors).toEqual([]);

    const actions = metrics.engine.actions(id);
    const byRule = new Map(actions.map((a) => [a.ruleId, a]));
    expect(actions.length).toBe(new Set(actions.map((a) => a.ruleId)).size);
    const pause = byRule.get('condition-1')!;
    expect(pause.kind).toBe('pause');
    expect(pause.explanation).toMatch(/CPC/);
    expect(pause.numbers.threshold).toBe(0.01);
    const pauses = world.sandbox
      .received('tiktok')
      .filter(
        (r) => r.path.includes('status/update') && JSON.stringify(r.body).includes('DISABLE'),
      );
    expect(pauses).toHaveLength(1);
    expect(byRule.get('condition-3')?.kind).toBe('resend');
    database.close();
  }, 120_000);
});
