/**
 * @module
 * The JSON values the campaign and step charts keep in context and exchange as events.
 */
import type { MonitoredRule } from '../metrics/rule-windows.js';
import type { RetryPolicy } from '../spec/campaign-schema.js';

/** A failure as it is kept in context: never an `Error` object, never a secret. */
export interface ErrorSummary {
  readonly code: string;
  readonly message: string;
  readonly retryable: boolean;
  /** Wait the platform asked for. */
  readonly retryAfterMs?: number;
  /** ISO instant of the failure. */
  readonly at: string;
}

/** What a finished step produced. */
export interface StepResult {
  /** Items the platform accepted (recipients, posts…). */
  readonly accepted: number;
  /** Items whose outcome a person must decide (sent or not is unknowable). */
  readonly unknown: number;
  /** Recipients left out (no consent, unsubscribed, erased…). */
  readonly suppressed: number;
  /** Values dependants may bind, e.g. `{ url }`. */
  readonly outputs: Readonly<Record<string, string>>;
  /** ISO instant it finished. */
  readonly finishedAt: string;
}

/** What planning a step found. */
export interface DeliveryPlan {
  /** ISO instant of the first wave; null when there is nothing to deliver. */
  readonly firstAt: string | null;
  readonly waves: number;
  readonly recipients: number;
}

/** A step as the campaign chart sees it, compiled from the spec. */
export interface CompiledStep {
  readonly id: string;
  /** Steps that must finish first. */
  readonly prerequisites: readonly string[];
  /** The step relative timing is anchored to. */
  readonly anchor?: string;
  readonly retry: RetryPolicy;
}

/** Input of the step chart. */
export interface StepMachineInput extends CompiledStep {
  readonly campaignId: string;
  /** ISO instant the campaign started running. */
  readonly launchedAt: string;
}

/** Input of the campaign chart. */
export interface CampaignMachineInput {
  readonly campaignId: string;
  readonly steps: readonly CompiledStep[];
  readonly onStepFailure: 'fail_campaign' | 'continue';
  /** ISO instant the campaign starts running. */
  readonly startsAt: string;
  /** Metric rules: once its steps have settled, the campaign monitors until every window closes. */
  readonly rules?: readonly MonitoredRule[];
}

/** Where each step stands, as the campaign chart records it. */
export type StepStatus = 'pending' | 'done' | 'failed' | 'skipped';
