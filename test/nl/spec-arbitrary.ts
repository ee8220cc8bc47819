/**
 * @module
 * fast-check arbitraries of campaign specs the plain-English parser can express, built with
 * the parser's own conventions (step ids `platform-action`, a relative step depends on its
 * anchor and binds a published page's URL as its link, the whole list when no audience).
 */
import fc from 'fast-check';
import type { AudienceRule } from '../../src/spec/audience-schema.js';
import type { CampaignSpec, Step } from '../../src/spec/campaign-schema.js';
import type { Condition } from '../../src/spec/condition-schema.js';
import type { Timing } from '../../src/spec/timing-schema.js';
import { toRule, type AudienceFilter } from '../../src/nl/audience-builder.js';

const CHANNELS = [
  ['facebook', 'post'],
  ['instagram', 'post'],
  ['x', 'post'],
  ['linkedin', 'post'],
  ['tiktok', 'post'],
  ['email', 'email'],
  ['mailchimp', 'email'],
  ['hubspot', 'email'],
  ['sms', 'sms'],
  ['meta_ads', 'ad_launch'],
  ['google_ads', 'ad_launch'],
  ['meta_ads', 'ad_pause'],
  ['google_ads', 'budget_change'],
  ['wordpress', 'publish'],
  ['cms', 'publish'],
  ['slack', 'notify'],
  ['teams', 'notify'],
  ['slack', 'report'],
  ['meta_ads', 'audience_sync'],
] as const;

const DATES = ['2026-12-01', '2026-12-15', '2027-01-20', '2027-06-03'];
const TIMES = ['06:00', '09:30', '12:00', '13:45', '18:00', '23:15'];
const ZONES = ['America/New_York', 'Europe/Berlin', 'Asia/Tokyo', 'UTC', 'Australia/Sydney'];
const RECURRENCES = [
  'daily',
  'weekdays',
  'weekly:MO',
  'weekly:TU,TH',
  'biweekly:WE',
  'monthly:15',
  'monthly:last-FR',
  'monthly:first-MO',
  'every:PT2H',
];
const OFFSETS = ['PT0S', 'PT30M', 'PT1H', 'P2D', 'PT48H'];

const FILTERS: readonly AudienceFilter[] = [
  { field: 'age', op: 'between', value: [25, 44] },
  { field: 'age', op: 'gte', value: 21 },
  { field: 'age', op: 'lt', value: 65 },
  { field: 'age', op: 'gt', value: 30 },
  { field: 'country', op: 'in', value: ['US', 'CA'] },
  { field: 'country', op: 'not_in', value: ['FR'] },
  { field: 'region', op: 'in', value: ['US-CA', 'US-OR'] },
  { field: 'language', op: 'in', value: ['en', 'fr'] },
  { field: 'loyalty_tier', op: 'in', value: ['gold', 'platinum'] },
  { field: 'consent_email', op: 'eq', value: true },
  { field: 'consent_sms', op: 'eq', value: true },
  { field: 'purchase_total', op: 'gte', value: 500, window: 'P90D' },
  { field: 'purchase_count', op: 'gte', value: 3, window: 'P6M' },
  { field: 'purchase_count', op: 'eq', value: 0, window: 'P6M' },
  { field: 'last_open', op: 'within_last', value: 'P30D' },
  { field: 'last_click', op: 'not_within_last', value: 'P7D' },
  { field: 'cart_abandoned', op: 'within_last', value: 'P3D' },
  { field: 'segment', op: 'in', value: ['vip'] },
  { field: 'segment', op: 'not_in', value: ['employees'] },
];

const pick = <T>(items: readonly T[]): fc.Arbitrary<T> => fc.constantFrom(...items);

function timingArb(index: number): fc.Arbitrary<Timing> {
  const absolute = fc.record({
    kind: fc.constant('absolute' as const),
    date: pick(DATES),
    time: pick(TIMES),
    zone: pick(ZONES),
  });
  const local = fc.record(
    {
      kind: fc.constant('recipient_local' as const),
      date: pick(DATES),
      time: pick(TIMES),
      fallbackZone: pick(ZONES),
    },
    { requiredKeys: ['kind', 'date', 'time'] },
  );
  const recurring = fc
    .tuple(
      pick(RECURRENCES),
      pick(DATES.slice(0, 2)),
      pick(TIMES),
      fc.option(pick(ZONES), { nil: undefined }),
      fc.constantFrom<'until' | 'count' | 'open'>('until', 'count', 'open'),
    )
    .map(([recurrence, start, time, zone, end]): Timing => ({
      kind: 'recurring',
      recurrence,
      start,
      time,
      ...(zone === undefined ? {} : { zone }),
      recipientLocal: zone === undefined,
      ...(end === 'until' ? { until: '2027-12-31' } : { count: end === 'count' ? 5 : 10_000 }),
    }));
  const kinds: fc.Arbitrary<Timing>[] = [
    absolute,
    local,
    recurring,
    fc.constant({ kind: 'immediate' as const }),
  ];
  if (index > 0) {
    kinds.push(
      fc
        .tuple(
          fc.nat(index - 1),
          pick(OFFSETS),
          fc.option(fc.tuple(pick(TIMES), pick(ZONES)), { nil: undefined }),
        )
        .map(([after, offset, at]): Timing => ({
          kind: 'relative',
          after: String(after),
          offset,
          ...(at === undefined ? {} : { time: at[0], zone: at[1] }),
        })),
    );
  }
  return fc.oneof(...kinds);
}

/** Specs the parser can express, with the ids it would give. */
export const parsableSpec: fc.Arbitrary<CampaignSpec> = fc
  .integer({ min: 1, max: 4 })
  .chain((n) =>
    fc.tuple(
      fc.tuple(
        ...Array.from({ length: n }, (_, i) =>
          fc.tuple(pick(CHANNELS), timingArb(i), fc.boolean()),
        ),
      ),
      fc.subarray([...FILTERS], { maxLength: 4 }),
      fc.subarray(['pause', 'resend', 'budget', 'notify'] as const, { maxLength: 2 }),
    ),
  )
  .map(([raw, filters, conditionKinds]) => {
    const ids: string[] = [];
    const steps: Step[] = raw.map(([[platform, action], timing, withBudget]) => {
      const base = `${platform}-${action}`.replace(/_/g, '-');
      let id = base;
      for (let k = 2; ids.includes(id); k++) id = `${base}-${k}`;
      ids.push(id);
      return {
        id,
        platform,
        action,
        content: { mediaUrls: [], variants: [] },
        options: {},
        timing,
        dependsOn: [],
        ...(withBudget && action === 'ad_launch'
          ? { budget: { amount: 300, period: 'daily' as const } }
          : {}),
      };
    });
    for (const step of steps) {
      if (step.timing.kind !== 'relative') continue;
      const anchor = steps[Number(step.timing.after)]!;
      step.timing = { ...step.timing, after: anchor.id };
      step.dependsOn = [
        {
          step: anchor.id,
          bind: anchor.action === 'publish' && step.action !== 'publish' ? { link: 'url' } : {},
        },
      ];
    }
    const distinct = filters.filter((f, i) => filters.findIndex((g) => g.field === f.field) === i);
    const rules: AudienceRule[] = distinct.map(toRule);
    const messaging = steps.some((s) => s.action === 'email' || s.action === 'sms');
    const audience =
      rules.length > 0
        ? { rules: { type: 'and' as const, rules }, exclude: [] }
        : messaging
          ? { segment: 'all', exclude: [] }
          : undefined;
    const conditions: Condition[] = [];
    const ad = steps.find((s) => s.action === 'ad_launch');
    const email = steps.find((s) => s.action === 'email');
    const report = steps.find((s) => s.action === 'report');
    for (const kind of conditionKinds) {
      const id = `condition-${conditions.length + 1}`;
      if (kind === 'pause' && ad)
        conditions.push({
          id,
          metric: 'cpc',
          step: ad.id,
          op: 'gt',
          threshold: 1.2,
          window: 'P3D',
          then: { type: 'pause', step: ad.id },
        });
      if (kind === 'resend' && email)
        conditions.push({
          id,
          metric: 'open_rate',
          step: email.id,
          op: 'lt',
          threshold: 0.15,
          window: 'PT24H',
          then: { type: 'resend', step: email.id, to: 'non_openers' },
        });
      if (kind === 'budget' && ad)
        conditions.push({
          id,
          metric: 'roas',
          step: ad.id,
          op: 'gte',
          threshold: 4,
          window: 'P7D',
          then: { type: 'budget_change', step: ad.id, percent: 20 },
        });
      if (kind === 'notify' && ad)
        conditions.push({
          id,
          metric: 'cpa',
          step: ad.id,
          op: 'gt',
          threshold: 40,
          window: 'P7D',
          then: {
            type: 'notify',
            platform: report?.platform === 'teams' ? 'teams' : 'slack',
            message: 'flag it to the team',
          },
        });
    }
    const spec: CampaignSpec = {
      version: 1,
      name: 'Generated campaign',
      currency: 'USD',
      defaultZone: 'UTC',
      ...(audience === undefined ? {} : { audience }),
      steps,
      conditions,
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
    return spec;
  });
