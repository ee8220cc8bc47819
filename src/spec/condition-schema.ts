/**
 * @module
 * Metric conditions evaluated while a campaign runs, and the actions they trigger.
 */
import { z } from 'zod';
import { Platform } from './platforms.js';
import { IsoDuration } from './timing-schema.js';

/** Metrics a condition can watch. Rates are fractions (15% is 0.15); money is in the campaign currency. */
export const METRICS = [
  'open_rate',
  'click_rate',
  'ctr',
  'cpc',
  'cpm',
  'cpa',
  'roas',
  'conversions',
  'conversion_rate',
  'spend',
  'impressions',
  'clicks',
  'unsubscribe_rate',
  'bounce_rate',
  'engagements',
] as const;
/** A metric a condition can watch. */
export const MetricName = z.enum(METRICS);
/** A metric a condition can watch. */
export type MetricName = z.infer<typeof MetricName>;

/** What a condition does when it becomes true. */
export const ConditionAction = z.discriminatedUnion('type', [
  z.object({ type: z.literal('pause'), step: z.string().min(1).max(64) }),
  z.object({ type: z.literal('resume'), step: z.string().min(1).max(64) }),
  z.object({
    type: z.literal('budget_change'),
    step: z.string().min(1).max(64),
    /** New daily budget in the campaign currency, or a relative change with `percent`. */
    amount: z.number().positive().optional(),
    percent: z.number().min(-100).max(1000).optional(),
  }),
  z.object({
    type: z.literal('shift_budget'),
    /** Steps (variants) to move budget between; the best by the condition's metric wins. */
    steps: z.array(z.string().min(1).max(64)).min(2),
  }),
  z.object({
    type: z.literal('resend'),
    step: z.string().min(1).max(64),
    to: z.enum(['non_openers', 'non_clickers']).default('non_openers'),
    subject: z.string().optional(),
  }),
  z.object({
    type: z.literal('notify'),
    platform: Platform.default('slack'),
    message: z.string().min(1),
  }),
  z.object({ type: z.literal('pick_winner'), steps: z.array(z.string().min(1).max(64)).min(2) }),
]);
/** What a condition does when it becomes true. */
export type ConditionAction = z.infer<typeof ConditionAction>;

/** "If the open rate of step X is below 15% after 24 hours, resend to non-openers." */
export const Condition = z.object({
  id: z.string().min(1),
  metric: MetricName,
  /** Step whose metric is watched; omit for the whole campaign. */
  step: z.string().min(1).max(64).optional(),
  /** `max` / `min` pick the best of several steps and need no threshold. */
  op: z.enum(['lt', 'lte', 'gt', 'gte', 'eq', 'max', 'min']),
  threshold: z.number().nullable().default(null),
  /** Measurement period after the watched step ran. */
  window: IsoDuration.default('PT24H'),
  then: ConditionAction,
});
/** A metric condition with its action. */
export type Condition = z.infer<typeof Condition>;
