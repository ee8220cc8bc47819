/**
 * @module
 * The record of an automatic action a metric rule took: what, why in plain English, the
 * numbers that caused it, and the values it replaced so it can be reverted.
 */

/** One value an action changed. */
export interface ActionChange {
  readonly stepId: string;
  readonly field: 'paused' | 'budget';
  /** Value before the action (`budget` in the campaign currency; `paused` a boolean). */
  readonly previous: number | boolean | null;
  readonly applied: number | boolean | null;
}

/** An action a rule took on a running campaign. */
export interface AutomaticAction {
  /** `<campaign>:<rule>` (a rule fires once per campaign). */
  readonly id: string;
  readonly campaignId: string;
  readonly ruleId: string;
  readonly kind:
    'pause' | 'resume' | 'budget_change' | 'shift_budget' | 'resend' | 'notify' | 'pick_winner';
  /** Plain English, with the numbers, e.g. "Paused step ad-b: CPC $2.40 is above $2.00 …". */
  readonly explanation: string;
  /** The figures that caused it (metric value, threshold, counts). */
  readonly numbers: Readonly<Record<string, number>>;
  readonly changes: readonly ActionChange[];
  /** `done`; `unknown` when a platform could not confirm a call; `failed` with `error`. */
  readonly status: 'done' | 'unknown' | 'failed';
  readonly error?: string;
  /** Clock time, epoch ms. */
  readonly at: number;
  /** Set once reverted, with what the revert did. */
  readonly revertedAt?: number;
  readonly revertExplanation?: string;
}
