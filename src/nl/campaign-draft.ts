/**
 * @module
 * `CampaignDraft`: what the parser understood, in the shape of a `CampaignSpec` whose timing
 * fields and condition metrics may be missing where the text was ambiguous. Every valid
 * `CampaignSpec` is a `CampaignDraft`, so the facts view and the explanation take either.
 */
import type { CampaignSpec, Step } from '../spec/campaign-schema.js';
import type { Condition, MetricName } from '../spec/condition-schema.js';

/** Timing with the fields the text did not settle left out. */
export type DraftTiming =
  | { readonly kind: 'immediate' }
  | {
      readonly kind: 'absolute' | 'recipient_local';
      readonly date?: string | undefined;
      readonly time?: string | undefined;
      readonly zone?: string | undefined;
      readonly fallbackZone?: string | undefined;
    }
  | {
      readonly kind: 'recurring';
      readonly recurrence?: string | undefined;
      readonly start?: string | undefined;
      readonly time?: string | undefined;
      readonly zone?: string | undefined;
      readonly recipientLocal?: boolean | undefined;
      readonly until?: string | undefined;
      readonly count?: number | undefined;
    }
  | {
      readonly kind: 'relative';
      readonly after: string;
      readonly offset?: string | undefined;
      readonly time?: string | undefined;
      readonly zone?: string | undefined;
    };

/** A step whose timing may be incomplete. */
export type DraftStepSpec = Omit<Step, 'timing'> & { readonly timing: DraftTiming };

/** A condition whose metric may be unknown. */
export type DraftCondition = Omit<Condition, 'metric'> & {
  readonly metric?: MetricName | undefined;
};

/** A campaign as far as the text settles it. */
export type CampaignDraft = Omit<CampaignSpec, 'steps' | 'conditions'> & {
  readonly steps: readonly DraftStepSpec[];
  readonly conditions: readonly DraftCondition[];
};

/** Diagnostic codes that must be answered before the campaign can run. */
export const BLOCKING_CODES: ReadonlySet<string> = new Set([
  'am_pm_missing',
  'time_without_zone',
  'missing_day',
  'missing_time',
  'contradictory_audience',
  'unknown_platform',
  'nonexistent_date',
  'dst_gap',
  'dst_overlap',
  'past_date',
  'ambiguous_relative_date',
  'vague_quantity',
  'metric_unspecified',
  'missing_threshold',
  'unresolved_reference',
  'ambiguous_date',
  'invalid_spec',
  'empty_campaign',
  'invalid_now',
  'unsupported_audience',
  'unsupported_action',
]);
