import { describe, expect, it } from 'vitest';
import { fromRule } from '../../src/nl/audience-builder.js';
import type { CampaignDraft } from '../../src/nl/campaign-draft.js';
import { toFacts } from '../../src/nl/campaign-facts.js';
import { defaultAction } from '../../src/nl/channel-lexicon.js';
import { applyAttr, type DraftStep } from '../../src/nl/draft-step.js';
import { explainCampaign } from '../../src/nl/explain-campaign.js';
import { describeDuration, describeRecurrence } from '../../src/nl/explain-phrases.js';
import { parseCampaign } from '../../src/nl/parse-campaign.js';
import { HOLIDAYS } from '../../src/nl/time-lexicon.js';
import { PLATFORMS } from '../../src/spec/platforms.js';

const NOW = '2026-11-25T12:00:00Z';
const facts = (text: string) => {
  const r = parseCampaign(text, { now: NOW });
  return toFacts(r.spec, r.diagnostics);
};

describe('nl building blocks', () => {
  it('gives every platform a default action it supports', () => {
    expect(PLATFORMS.map(defaultAction)).toContain('report');
    expect(defaultAction('meta_ads')).toBe('ad_launch');
    expect(defaultAction('twilio')).toBe('sms');
    expect(defaultAction('segment')).toBe('report');
  });

  it('dates every marketing holiday in its year', () => {
    const dates = Object.fromEntries(
      [...HOLIDAYS].map(([name, rule]) => [name, rule(2026).toISODate()]),
    );
    expect(dates).toMatchObject({
      'black friday': '2026-11-27',
      'small business saturday': '2026-11-28',
      'cyber monday': '2026-11-30',
      christmas: '2026-12-25',
      'boxing day': '2026-12-26',
      'new years eve': '2026-12-31',
      'new years day': '2026-01-01',
      'mothers day': '2026-05-10',
      'fathers day': '2026-06-21',
    });
  });

  it('ignores anchor markers and "the same day" without a step before', () => {
    const step: DraftStep = {
      platform: 'x',
      action: 'post',
      span: [0, 1],
      sentence: 0,
      problems: [],
      timed: false,
    };
    applyAttr(step, { attr: { type: 'anchor' }, span: [0, 1] }, false, undefined);
    applyAttr(step, { attr: { type: 'same', what: 'day' }, span: [0, 1] }, false, undefined);
    expect(step.date).toBeUndefined();
    expect(step.timed).toBe(true);
  });

  it('reads rules it did not write as no filter', () => {
    expect(fromRule({ type: 'reachable', channel: 'email' })).toBeUndefined();
  });

  it('words durations and recurrences, keeping what it cannot word as written', () => {
    expect(describeDuration('P1DT2H')).toBe('P1DT2H');
    expect(describeDuration('PT1M')).toBe('1 minute');
    expect(describeRecurrence(undefined)).toBe('repeatedly');
    expect(describeRecurrence('every:PT2H')).toBe('every 2 hours');
    expect(describeRecurrence('monthly:22')).toBe('on the 22nd of every month');
  });

  it('explains and projects hand-written specs with actions the parser never writes', () => {
    const step = (
      id: string,
      platform: 'meta_ads' | 'google_ads',
      action: 'ad_launch' | 'post' = 'ad_launch',
    ) => ({
      id,
      platform,
      action,
      content: { mediaUrls: [], variants: [] },
      options: {},
      timing: { kind: 'immediate' as const },
      dependsOn: [],
    });
    const spec: CampaignDraft = {
      version: 1,
      name: 'Hand "written"',
      currency: 'USD',
      defaultZone: 'UTC',
      audience: {
        rules: {
          type: 'and',
          rules: [
            { type: 'attribute', field: 'age', op: 'gt', value: 30 },
            { type: 'attribute', field: 'country', op: 'in', value: ['ZZ'] },
            { type: 'segment', name: 'a', op: 'in' },
            { type: 'segment', name: 'b', op: 'in' },
          ],
        },
        exclude: ['staff'],
      },
      steps: [step('meta', 'meta_ads'), step('google', 'google_ads')],
      conditions: [
        { id: 'c1', op: 'gt', threshold: 1, window: 'P1D', then: { type: 'resume', step: 'meta' } },
        {
          id: 'c2',
          op: 'gt',
          threshold: 1,
          window: 'P1D',
          then: { type: 'budget_change', step: 'meta', amount: 500 },
        },
        {
          id: 'c3',
          op: 'gt',
          threshold: 1,
          window: 'P1D',
          then: { type: 'budget_change', step: 'gone' },
        },
        {
          id: 'c4',
          op: 'max',
          threshold: null,
          window: 'P1D',
          then: { type: 'shift_budget', steps: ['meta', 'google'] },
        },
        {
          id: 'c5',
          op: 'max',
          threshold: null,
          window: 'P1D',
          then: { type: 'pick_winner', steps: ['meta', 'google'] },
        },
      ],
      compliance: { requireConsent: true, dstGap: 'shift_forward', dstOverlap: 'first' },
      onStepFailure: 'fail_campaign',
      retry: {
        initialInterval: 'PT1S',
        backoffCoefficient: 2,
        maximumInterval: 'PT10M',
        maximumAttempts: 3,
        nonRetryableErrorCodes: [],
      },
    };
    const text = explainCampaign(spec);
    expect(text).toContain('Campaign "Hand \'written\'".');
    expect(text).toContain('Only people over 30.');
    expect(text).toContain('Only customers in ZZ.');
    expect(text).toContain("Exclude the 'staff' segment.");
    expect(text).toContain('If the metric is above 1 after 1 day, resume step 1.');
    expect(text).toContain('bump the budget of step 1 to $500');
    expect(text).toContain('shift budget from step 1 to step 2');
    expect(text).toContain('pick the winner of step 1 and step 2');
    const f = toFacts(spec);
    expect(f.audience).toContainEqual({ field: 'segment', op: 'in', value: ['a', 'b'] });
    expect(f.audience).toContainEqual({ field: 'segment', op: 'not_in', value: ['staff'] });
    expect(f.conditions.map((c) => c.then)).toEqual([
      'resume the Meta ads',
      'set the budget of the Meta ads to 500 a day',
      'change the budget of gone',
      'shift budget from the Meta ads to the Google Ads',
      'pick the winner of the Meta ads and the Google Ads',
    ]);
    const ages = {
      ...spec,
      audience: {
        rules: {
          type: 'and' as const,
          rules: [
            { type: 'attribute' as const, field: 'age', op: 'gte' as const, value: 21 },
            { type: 'attribute' as const, field: 'age', op: 'lt' as const, value: 65 },
          ],
        },
        exclude: [],
      },
    };
    expect(explainCampaign(ages)).toContain('Only people aged 21+.\nOnly people under 65.');
  });

  it('reads forward anchors, audience syncs, hourly and minute recurrences and ISO dates', () => {
    const f = facts(
      'Post on Instagram on 2026-12-01 at noon ET; 2 hours after the IG post, send a Slack message to #social. Sync cart abandoners to Google Ads right now.',
    );
    expect(f.timing[1]).toMatchObject({ kind: 'relative', after_step: 0, offset: 'PT2H' });
    expect(f.timing[0]).toMatchObject({ date: '2026-12-01' });
    expect(f.channels[2]).toEqual({ platform: 'google_ads', action: 'audience_sync' });
    expect(f.audience).toEqual([{ field: 'cart_abandoned', op: 'exists', value: true }]);
    const r = facts(
      'Post on X every 2 hours from Dec 1 at 9am ET. Post on FB every hour from Dec 1 at 9am ET. Post on IG every 30 minutes from Dec 1 at 9am ET. Post on TikTok mon-fri at 9am ET. Email monthly on the first Monday at 9am ET.',
    );
    expect(r.timing.map((t) => t.recurrence)).toEqual([
      'every:PT2H',
      'every:PT1H',
      'every:PT30M',
      'weekdays',
      'monthly:first-MO',
    ]);
  });

  it('leaves out clock times that do not exist and readings that do not hold', () => {
    const f = facts(
      'Post on X on Dec 1 at 13pm ET. Post on FB on Dec 1 at 25:70 ET. Post on IG 1.5 hours later. Post on LinkedIn on Dec 1 at 9am ET to people who order stuff. After the text, post on TikTok.',
    );
    expect(f.timing[0]).toMatchObject({ local_time: null });
    expect(f.timing[1]).toMatchObject({ local_time: null });
    expect(f.audience).toEqual([]);
  });

  it('reads ages over a number, lists with "the", and a trailing anchor', () => {
    const f = facts(
      'Email on Dec 9 at 9am ET to people over 21 in the UK and the US. Post on X on Dec 10 at 9am ET, 2 hours after the email. After the message, post on TikTok.',
    );
    expect(f.audience).toEqual([
      { field: 'age', op: 'gt', value: 21 },
      { field: 'country', op: 'in', value: ['GB', 'US'] },
    ]);
    expect(f.timing[1]).toMatchObject({ kind: 'relative', after_step: 0, offset: 'PT2H' });
    expect(f.timing[2]).toMatchObject({ kind: 'relative', after_step: 1 });
  });

  it('reads "N or more" thresholds and anchors to a text message', () => {
    const f = facts(
      'Text everyone on Dec 2 at 9am ET. After the text, post on TikTok. Pause the ads once they hit 500 or more conversions. Launch Meta ads on Dec 2 at 9am ET.',
    );
    expect(f.timing[1]).toMatchObject({ kind: 'relative', after_step: 0 });
  });
});
