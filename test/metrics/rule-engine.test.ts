import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openMetricsDatabase, type MetricsDatabase } from '../../src/metrics/metrics-database.js';
import { RuleEngine, type RuleEngineOptions } from '../../src/metrics/rule-engine.js';
import { SimulatedClock } from '../../src/schedule/clock.js';
import { rec, recordingEffects, specWith } from './rule-fixtures.js';

const DAY = 86_400_000;
const START = Date.parse('2026-03-01T00:00:00Z');

let database: MetricsDatabase;
let clock: SimulatedClock;
let effects: ReturnType<typeof recordingEffects>;
beforeEach(() => {
  database = openMetricsDatabase(':memory:');
  clock = new SimulatedClock(START, { autoAdvance: false });
  effects = recordingEffects();
});
afterEach(() => database.close());

const engine = (extra: Partial<RuleEngineOptions> = {}) =>
  new RuleEngine({ database, effects, clock, ...extra });

const lowOpens = {
  id: 'low-opens',
  metric: 'open_rate',
  step: 'mail',
  op: 'lt',
  threshold: 0.15,
  window: 'PT24H',
  then: { type: 'resend', step: 'mail', to: 'non_openers', subject: 'Last chance' },
};

describe('RuleEngine thresholds', () => {
  it('fires exactly once when its condition becomes true', async () => {
    const spec = specWith([lowOpens]);
    const rules = engine();
    expect((await rules.evaluate('c1', spec))[0]!.status).toBe('no_data');
    database.upsert([rec('mail', '2026-03-01', { deliveries: 1000, unique_opens: 200 })]);
    expect((await rules.evaluate('c1', spec))[0]!.status).toBe('waiting');
    clock.advanceTo(START + DAY + 1);
    const notYet = (await rules.evaluate('c1', spec))[0]!;
    expect(notYet.status).toBe('not_met');
    expect(notYet.explanation).toContain('20.00%, not below 15.00%');
    // Late-arriving data revises the day: opens were over-counted.
    database.upsert([
      rec('mail', '2026-03-01', { deliveries: 1000, unique_opens: 120 }, 'sendgrid', 2),
    ]);
    const [fired] = await rules.evaluate('c1', spec);
    expect(fired!.status).toBe('fired');
    expect(fired!.explanation).toBe(
      'Resent step mail to non-openers with the subject "Last chance" because the open rate of step mail is 12.00%, below 15.00% (1,000 deliveries, 120 unique opens).',
    );
    expect(fired!.action!.numbers).toMatchObject({ value: 0.12, threshold: 0.15 });
    const again = await Promise.all([rules.evaluate('c1', spec), rules.evaluate('c1', spec)]);
    expect(again.flat().map((e) => e.status)).toEqual(['already_fired', 'already_fired']);
    expect(effects.calls).toEqual([
      ['resend', 'mail', 'Last chance', 'rule:c1:low-opens:resend:mail'],
    ]);
    expect(rules.actions('c1')).toHaveLength(1);
    const undo = await rules.revert('c1:low-opens', spec);
    expect(undo.success).toBe(false);
  });

  it('pauses an ad whose CPC is above $2, says why, and can be reverted', async () => {
    const spec = specWith([
      {
        id: 'cpc-cap',
        metric: 'cpc',
        step: 'ad-b',
        op: 'gt',
        threshold: 2,
        window: 'PT0S',
        then: { type: 'pause', step: 'ad-b' },
      },
    ]);
    database.upsert([rec('ad-b', '2026-03-01', { spend: 240, clicks: 100, impressions: 5000 })]);
    const rules = engine();
    const [fired] = await rules.evaluate('c1', spec);
    expect(fired!.explanation).toBe(
      'Paused step ad-b because the CPC of step ad-b is USD 2.40, above USD 2.00 (spend USD 240.00, 5,000 impressions, 100 clicks).',
    );
    expect(effects.calls).toEqual([['setStepPaused', 'ad-b', true]]);
    const reverted = await rules.revert('c1:cpc-cap', spec);
    expect(reverted.success && reverted.data.revertExplanation).toBe(
      'Reverted: resumed step ad-b.',
    );
    expect(effects.calls.at(-1)).toEqual(['setStepPaused', 'ad-b', false]);
    const twice = await rules.revert('c1:cpc-cap', spec);
    expect(!twice.success && twice.error[0]!.code).toBe('already_reverted');
    const none = await rules.revert('nope', spec);
    expect(!none.success && none.error[0]!.code).toBe('unknown_action');
  });

  it('changes a budget by a percentage, retries after a failed call, and reverts to the old amount', async () => {
    const spec = specWith([
      {
        id: 'scale-up',
        metric: 'roas',
        op: 'gte',
        threshold: 3,
        window: 'PT0S',
        then: { type: 'budget_change', step: 'ad-a', percent: 20 },
      },
      {
        id: 'ping',
        metric: 'spend',
        op: 'gt',
        threshold: 10,
        window: 'PT0S',
        then: { type: 'notify', message: 'Spend passed $10' },
      },
      {
        id: 'resume-b',
        metric: 'clicks',
        op: 'gte',
        threshold: 1,
        window: 'PT0S',
        then: { type: 'resume', step: 'ad-b' },
      },
    ]);
    database.upsert([rec('ad-a', '2026-03-01', { spend: 100, revenue: 400, clicks: 50 })]);
    const rules = engine({ startedAt: () => START });
    effects.fail = true;
    const [failed, notified, resumed] = await rules.evaluate('c1', spec);
    expect(failed!.status).toBe('failed');
    expect(failed!.explanation).toContain('The action failed: platform refused');
    expect(notified!.action!.status).toBe('unknown');
    expect(effects.calls[0]![2]).toContain(
      'Spend passed $10 (the spend of the campaign is USD 100.00',
    );
    expect(resumed!.explanation).toContain('Resumed step ad-b');
    const [fired] = await rules.evaluate('c1', spec);
    expect(fired!.status).toBe('fired');
    expect(fired!.explanation).toContain(
      "Changed step ad-a's budget from USD 100.00 to USD 120.00",
    );
    expect(effects.calls).toContainEqual([
      'changeBudget',
      'ad-a',
      120,
      'rule:c1:scale-up:budget:ad-a',
    ]);
    const reverted = await rules.revert('c1:scale-up', spec);
    expect(reverted.success).toBe(true);
    expect(effects.calls.at(-1)).toEqual([
      'changeBudget',
      'ad-a',
      100,
      'rule:c1:scale-up:revert:budget:ad-a',
    ]);
  });

  it('cannot change a budget by a percentage when the step has none', async () => {
    const spec = specWith([
      {
        id: 'grow-mail',
        metric: 'spend',
        op: 'gte',
        threshold: 0,
        window: 'PT0S',
        then: { type: 'budget_change', step: 'mail', percent: 10 },
      },
    ]);
    database.upsert([rec('mail', '2026-03-01', { spend: 1 })]);
    const [result] = await engine().evaluate('c1', spec);
    expect(result).toMatchObject({
      status: 'failed',
      explanation: 'grow-mail: step mail has no budget to change by a percentage',
    });
    expect(database.hasFired('c1', 'grow-mail')).toBe(false);
  });
});

describe('RuleEngine A/B tests and budget shifts', () => {
  const pick = {
    id: 'best-ctr',
    metric: 'ctr',
    op: 'max',
    window: 'P1D',
    then: { type: 'pick_winner', steps: ['ad-a', 'ad-b'] },
  };

  it('declares no winner with too few samples and picks one once it is significant', async () => {
    const spec = specWith([pick]);
    database.upsert([
      rec('ad-a', '2026-03-01', { impressions: 60, clicks: 3 }),
      rec('ad-b', '2026-03-01', { impressions: 50, clicks: 9 }),
    ]);
    clock.advanceTo(START + 2 * DAY);
    const rules = engine();
    const [early] = await rules.evaluate('c1', spec);
    expect(early!.status).toBe('no_winner');
    expect(early!.explanation).toContain('No winner yet: too few samples');
    expect(effects.calls).toEqual([]);
    database.upsert([
      rec('ad-a', '2026-03-02', { impressions: 5000, clicks: 100 }),
      rec('ad-b', '2026-03-02', { impressions: 5000, clicks: 190 }),
    ]);
    const [won] = await rules.evaluate('c1', spec);
    expect(won!.status).toBe('fired');
    expect(won!.explanation).toMatch(
      /^Picked ad-b as the winner and paused ad-a: ad-b wins: .*two-proportion z-test, p = /,
    );
    expect(won!.action!.numbers.pValue).toBeLessThan(0.05);
    expect(effects.calls).toEqual([['setStepPaused', 'ad-a', true]]);
  });

  it('says why when a variant has nothing to compare', async () => {
    const spec = specWith([pick, { ...pick, id: 'cheapest', metric: 'spend', op: 'min' }]);
    database.upsert([rec('ad-a', '2026-03-01', { impressions: 600, clicks: 30 })]);
    clock.advanceTo(START + 2 * DAY);
    const [noData] = await engine().evaluate('c1', spec);
    expect(noData).toMatchObject({
      status: 'no_data',
      explanation: 'best-ctr: no CTR yet for ad-b',
    });
    database.upsert([
      rec('ad-b', '2026-03-01', { impressions: 600, clicks: 30, spend: 5 }),
      rec('ad-a', '2026-03-01', { impressions: 600, clicks: 30, spend: 9 }),
    ]);
    const [, untestable] = await engine().evaluate('c1', spec);
    expect(untestable!.status).toBe('no_winner');
  });

  it('moves the budget to the variant with the better ROAS after 3 days, and reverts it', async () => {
    const spec = specWith([
      {
        id: 'roas-shift',
        metric: 'roas',
        op: 'max',
        window: 'P3D',
        then: { type: 'shift_budget', steps: ['ad-a', 'ad-b'] },
      },
    ]);
    database.upsert([
      rec('ad-a', '2026-03-01', { spend: 100, revenue: 150, clicks: 100, conversions: 3 }),
      rec('ad-b', '2026-03-01', { spend: 50, revenue: 200, clicks: 60, conversions: 5 }),
    ]);
    const rules = engine();
    clock.advanceTo(START + 2 * DAY);
    expect((await rules.evaluate('c1', spec))[0]!.status).toBe('waiting');
    clock.advanceTo(START + 3 * DAY);
    const [shifted] = await rules.evaluate('c1', spec);
    expect(shifted!.explanation).toBe(
      'Shifted budget (all to the best variant): ad-b USD 50.00 → USD 150.00, ad-a paused (was USD 100.00), because ad-b has the highest ROAS (ad-b 4.00×, ad-a 1.50×).',
    );
    expect(effects.calls).toEqual([
      ['changeBudget', 'ad-b', 150, 'rule:c1:roas-shift:budget:ad-b'],
      ['setStepPaused', 'ad-a', true],
    ]);
    const reverted = await rules.revert('c1:roas-shift', spec);
    expect(reverted.success && reverted.data.revertExplanation).toBe(
      "Reverted: resumed step ad-a; set step ad-b's budget back to USD 50.00.",
    );
  });

  it('shifts budget by seeded Thompson sampling within caps, leaving out days of late conversions', async () => {
    const spec = specWith([
      {
        id: 'bandit',
        metric: 'conversion_rate',
        op: 'max',
        window: 'P3D',
        then: { type: 'shift_budget', steps: ['ad-a', 'ad-b'] },
      },
    ]);
    database.upsert([
      rec('ad-a', '2026-03-01', { clicks: 1000, conversions: 20 }),
      rec('ad-b', '2026-03-01', { clicks: 1000, conversions: 45 }),
      // Yesterday's conversions are still coming in: left out.
      rec('ad-a', '2026-03-03', { clicks: 1000, conversions: 400 }),
    ]);
    clock.advanceTo(Date.parse('2026-03-04T06:00:00Z'));
    const rules = engine({
      bandit: { seed: 42, lateConversionDays: 1, maxBudget: { 'ad-b': 120 } },
    });
    const [shifted] = await rules.evaluate('c1', spec);
    expect(shifted!.status).toBe('fired');
    expect(shifted!.explanation).toContain(
      'Thompson sampling (seed 42, last 1 day(s) left out for late conversions)',
    );
    expect(effects.calls).toEqual([
      ['changeBudget', 'ad-b', 120, 'rule:c1:bandit:budget:ad-b'],
      ['changeBudget', 'ad-a', 30, 'rule:c1:bandit:budget:ad-a'],
    ]);
  });

  it('needs a budget on every variant it shifts', async () => {
    const spec = specWith([
      {
        id: 'no-budget',
        metric: 'clicks',
        op: 'max',
        window: 'PT0S',
        then: { type: 'shift_budget', steps: ['ad-a', 'mail'] },
      },
    ]);
    database.upsert([
      rec('ad-a', '2026-03-01', { clicks: 3 }),
      rec('mail', '2026-03-01', { clicks: 2 }),
    ]);
    const [result] = await engine().evaluate('c1', spec);
    expect(result).toMatchObject({
      status: 'failed',
      explanation: 'no-budget: no budget known for mail; give those steps a budget',
    });
  });
});
