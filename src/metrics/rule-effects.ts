/**
 * @module
 * What a metric rule may do to a running campaign, as an interface: the rule engine decides,
 * an implementation of {@link RuleEffects} acts (see `createCampaignRuleEffects` for the one
 * backed by a `CampaignSystem` and journaled connector calls).
 */

/** A budget change a rule asks for. */
export interface BudgetChange {
  readonly campaignId: string;
  readonly stepId: string;
  /** New budget, campaign currency, major units. */
  readonly amount: number;
  readonly period: 'daily' | 'lifetime';
  /** Deterministic: the same decision after a restart has the same key. */
  readonly idempotencyKey: string;
}

/** A resend a rule asks for. */
export interface Resend {
  readonly campaignId: string;
  readonly stepId: string;
  readonly to: 'non_openers' | 'non_clickers';
  readonly subject?: string;
  readonly idempotencyKey: string;
}

/** A notification a rule asks for. */
export interface RuleNotification {
  readonly campaignId: string;
  readonly platform: string;
  readonly message: string;
  readonly idempotencyKey: string;
}

/** How an effect that calls a platform ended; `unknown` when the platform could not confirm. */
export type EffectOutcome = { readonly status: 'done' | 'unknown'; readonly detail?: string };

/** The effects rules have on campaigns. */
export interface RuleEffects {
  /** Pauses or resumes one step (e.g. `CampaignSystem.setStepPaused`). */
  setStepPaused(campaignId: string, stepId: string, paused: boolean): Promise<void>;
  /** Changes a step's budget on its platform, exactly once per key. */
  changeBudget(change: BudgetChange): Promise<EffectOutcome>;
  /** Sends a step again to those who did not open or click, exactly once per key. */
  resend(resend: Resend): Promise<EffectOutcome>;
  /** Tells the team. */
  notify(notification: RuleNotification): Promise<EffectOutcome>;
}
