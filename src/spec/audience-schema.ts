/**
 * @module
 * The audience rule language: a tree of `and` / `or` / `not` over predicates on profile
 * attributes, behaviour (events within a window), segment membership and reachability.
 */
import { z } from 'zod';
import { IsoDuration } from './timing-schema.js';

/** A scalar a predicate compares with. */
export const RuleValue = z.union([z.string(), z.number(), z.boolean()]);
/** A scalar a predicate compares with. */
export type RuleValue = z.infer<typeof RuleValue>;

/** Comparison operators on attributes and aggregates. */
export const CompareOp = z.enum([
  'eq',
  'neq',
  'gt',
  'gte',
  'lt',
  'lte',
  'between',
  'in',
  'not_in',
  'exists',
  'not_exists',
]);
/** Comparison operators on attributes and aggregates. */
export type CompareOp = z.infer<typeof CompareOp>;

/** A predicate on a profile attribute: `age between [25, 44]`, `country in [US, CA]`. */
export const AttributeRule = z.object({
  type: z.literal('attribute'),
  /** A profile field (`age`, `country`, `region`, `language`, `loyalty_tier`, `consent_email`…) or `traits.<name>`. */
  field: z.string().min(1),
  op: CompareOp,
  value: z.union([RuleValue, z.array(RuleValue)]).optional(),
});

/** A filter on an event's properties. */
export const EventFilter = z.object({
  property: z.string().min(1),
  op: CompareOp,
  value: z.union([RuleValue, z.array(RuleValue)]).optional(),
});

/** A predicate on behaviour: an aggregate of events of one type within a window. */
export const BehaviorRule = z.object({
  type: z.literal('behavior'),
  /** `purchase`, `open`, `click`, `visit`, `cart_add` or a custom event type. */
  event: z.string().min(1),
  /** `count` of events, `sum` of a property, or the `first`/`last` time (compared as age, ISO duration). */
  aggregate: z.enum(['count', 'sum', 'first', 'last']).default('count'),
  /** Property summed by `sum`. @default "value" */
  property: z.string().optional(),
  op: CompareOp,
  value: z.union([RuleValue, z.array(RuleValue)]).optional(),
  /** Only events within this period before evaluation time count. */
  window: IsoDuration.optional(),
  where: z.array(EventFilter).default([]),
});

/** An event not followed by another within a window: "cart added in the last 24 hours and no purchase after it". */
export const SequenceRule = z.object({
  type: z.literal('sequence'),
  event: z.string().min(1),
  within: IsoDuration,
  notFollowedBy: z.string().min(1),
});

/** Membership in another named segment. */
export const SegmentRefRule = z.object({
  type: z.literal('segment'),
  name: z.string().min(1),
  op: z.enum(['in', 'not_in']).default('in'),
});

/** The profile can be reached on a channel (has the address and the consent). */
export const ReachableRule = z.object({
  type: z.literal('reachable'),
  channel: z.enum(['email', 'sms', 'push', 'social']),
});

/** A node of the rule tree. */
export type AudienceRule =
  | { type: 'and'; rules: AudienceRule[] }
  | { type: 'or'; rules: AudienceRule[] }
  | { type: 'not'; rule: AudienceRule }
  | z.infer<typeof AttributeRule>
  | z.infer<typeof BehaviorRule>
  | z.infer<typeof SequenceRule>
  | z.infer<typeof SegmentRefRule>
  | z.infer<typeof ReachableRule>;

/** A node of the rule tree (input form, before defaults). */
export type AudienceRuleInput =
  | { type: 'and'; rules: AudienceRuleInput[] }
  | { type: 'or'; rules: AudienceRuleInput[] }
  | { type: 'not'; rule: AudienceRuleInput }
  | z.input<typeof AttributeRule>
  | z.input<typeof BehaviorRule>
  | z.input<typeof SequenceRule>
  | z.input<typeof SegmentRefRule>
  | z.input<typeof ReachableRule>;

/** A node of the rule tree. */
export const AudienceRule: z.ZodType<AudienceRule, AudienceRuleInput> = z.lazy(() =>
  z.discriminatedUnion('type', [
    z.object({ type: z.literal('and'), rules: z.array(AudienceRule) }),
    z.object({ type: z.literal('or'), rules: z.array(AudienceRule) }),
    z.object({ type: z.literal('not'), rule: AudienceRule }),
    AttributeRule,
    BehaviorRule,
    SequenceRule,
    SegmentRefRule,
    ReachableRule,
  ]),
);

/** Who a campaign or step reaches: a named segment, rules, or both (intersected). */
export const Audience = z
  .object({
    segment: z.string().min(1).optional(),
    rules: AudienceRule.optional(),
    /** Named segments removed from the audience. */
    exclude: z.array(z.string().min(1)).default([]),
  })
  .refine((a) => a.segment !== undefined || a.rules !== undefined, {
    message: 'an audience needs a "segment" name or "rules"',
  });
/** Who a campaign or step reaches. */
export type Audience = z.infer<typeof Audience>;
