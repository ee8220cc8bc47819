/**
 * @module
 * `CampaignSpec`: the one contract every layer of Herald speaks. Written by hand as JSON or
 * YAML, built in code, or produced by the plain-English parser; all three yield this object.
 */
import { z } from 'zod';
import { Audience } from './audience-schema.js';
import { Condition } from './condition-schema.js';
import { Platform, StepAction } from './platforms.js';
import { IsoDuration, Timing, ZoneName } from './timing-schema.js';

/** A step or condition id: lower-case letters, digits, `-` and `_`. */
export const StepId = z
  .string()
  .regex(
    /^[a-z][a-z0-9_-]{0,63}$/,
    'ids are lower-case letters, digits, "-" or "_", e.g. blog-post',
  );

/** Retry policy with Temporal's field names. */
export const RetryPolicy = z.object({
  /** @default "PT1S" */
  initialInterval: IsoDuration.default('PT1S'),
  /** @default 2 */
  backoffCoefficient: z.number().min(1).max(10).default(2),
  /** @default "PT10M" */
  maximumInterval: IsoDuration.default('PT10M'),
  /** Attempts including the first. @default 3 */
  maximumAttempts: z.number().int().min(1).max(100).default(3),
  /** Error codes never retried. @default the connector's non-retryable codes */
  nonRetryableErrorCodes: z.array(z.string()).default([]),
});
/** Retry policy with Temporal's field names. */
export type RetryPolicy = z.infer<typeof RetryPolicy>;

/** The message a step carries. Fields a platform does not use are ignored by its connector. */
export const StepContent = z.object({
  title: z.string().optional(),
  subject: z.string().optional(),
  text: z.string().optional(),
  html: z.string().optional(),
  link: z.string().optional(),
  mediaUrls: z.array(z.string()).default([]),
  /** Slack/Teams channel, e.g. `#growth`. */
  channel: z.string().optional(),
  /** A/B variants sent as one step. */
  variants: z
    .array(
      z.object({
        id: StepId,
        subject: z.string().optional(),
        text: z.string().optional(),
        weight: z.number().positive().default(1),
      }),
    )
    .default([]),
});
/** The message a step carries. */
export type StepContent = z.infer<typeof StepContent>;

/** A dependency on another step, with the outputs it passes along into this step's content. */
export const Dependency = z.object({
  step: StepId,
  /** Content field ← output of the other step, e.g. `{ "link": "url" }`. */
  bind: z.record(z.string(), z.string()).default({}),
});
/** A dependency on another step. */
export type Dependency = z.infer<typeof Dependency>;

/** One channel action on one platform. */
export const Step = z.object({
  id: StepId,
  name: z.string().optional(),
  platform: Platform,
  action: StepAction,
  content: StepContent.default({ mediaUrls: [], variants: [] }),
  /** Per-platform options passed to the connector (e.g. `{ "visibility": "PUBLIC" }`). */
  options: z.record(z.string(), z.unknown()).default({}),
  timing: Timing.default({ kind: 'immediate' }),
  dependsOn: z.array(Dependency).default([]),
  /** Overrides the campaign audience for this step. */
  audience: Audience.optional(),
  /** Ad budget, in the campaign currency. */
  budget: z
    .object({
      amount: z.number().positive(),
      period: z.enum(['daily', 'lifetime']).default('daily'),
    })
    .optional(),
  retry: RetryPolicy.optional(),
});
/** One channel action on one platform. */
export type Step = z.infer<typeof Step>;

/** DST, quiet hours, capping and consent settings. */
export const CompliancePolicy = z.object({
  /** Only send to recipients with recorded consent for the channel. @default true */
  requireConsent: z.boolean().default(true),
  /** A local time that does not exist: move to the first valid instant after the gap, skip it, or fail. @default "shift_forward" */
  dstGap: z.enum(['shift_forward', 'skip', 'error']).default('shift_forward'),
  /** A local time that happens twice runs once, at the first or second occurrence. @default "first" */
  dstOverlap: z.enum(['first', 'second']).default('first'),
  /** Recipient-local hours when nothing is sent, e.g. `{ "start": "21:00", "end": "08:00" }`. */
  quietHours: z
    .object({
      start: z.string().regex(/^\d{2}:\d{2}$/),
      end: z.string().regex(/^\d{2}:\d{2}$/),
    })
    .optional(),
  /** At most `max` messages per person per channel per `period`, across campaigns. */
  frequencyCap: z
    .object({
      max: z.number().int().positive(),
      period: IsoDuration,
      onExceed: z.enum(['defer', 'drop']).default('defer'),
    })
    .optional(),
  /** Postal address every marketing email carries (CAN-SPAM). */
  postalAddress: z.string().optional(),
  unsubscribeUrl: z.string().optional(),
});
/** DST, quiet hours, capping and consent settings. */
export type CompliancePolicy = z.infer<typeof CompliancePolicy>;

/** A complete campaign. */
export const CampaignSpec = z.object({
  /** Spec format version. */
  version: z.literal(1).default(1),
  name: z.string().min(1, 'give the campaign a name'),
  /** ISO 4217 currency for budgets and reported money. @default "USD" */
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'expected an ISO 4217 currency code such as USD or EUR')
    .default('USD'),
  /** Zone for times stated without one and for recipients with no known zone. @default "UTC" */
  defaultZone: ZoneName.default('UTC'),
  audience: Audience.optional(),
  steps: z.array(Step).min(1, 'a campaign needs at least one step'),
  conditions: z.array(Condition).default([]),
  compliance: CompliancePolicy.default({
    requireConsent: true,
    dstGap: 'shift_forward',
    dstOverlap: 'first',
  }),
  /** What a step failure does to the rest: fail the campaign, or continue and report partial success. @default "fail_campaign" */
  onStepFailure: z.enum(['fail_campaign', 'continue']).default('fail_campaign'),
  /** Default retry policy for every step. */
  retry: RetryPolicy.default({
    initialInterval: 'PT1S',
    backoffCoefficient: 2,
    maximumInterval: 'PT10M',
    maximumAttempts: 3,
    nonRetryableErrorCodes: [],
  }),
});
/** A complete campaign, after defaults. */
export type CampaignSpec = z.infer<typeof CampaignSpec>;
/** A campaign as written, before defaults. */
export type CampaignSpecInput = z.input<typeof CampaignSpec>;
