/**
 * @module
 * `createCampaignRuleEffects`: {@link RuleEffects} for a running `CampaignSystem` — pauses and
 * resumes through `setStepPaused`, budget changes, resends and notifications through
 * journaled connector calls, so each happens exactly once even across restarts.
 */
import type { CampaignSystem } from '../actors/campaign-system.js';
import type { JournaledCaller } from '../actors/journaled-call.js';
import type { ConnectorRegistry, Recipient } from '../connectors/connector.js';
import { HeraldError } from '../errors.js';
import type { CampaignSpec } from '../spec/campaign-schema.js';
import { Platform } from '../spec/platforms.js';
import type { EffectOutcome, RuleEffects } from './rule-effects.js';

/** What {@link createCampaignRuleEffects} needs. */
export interface CampaignRuleEffectsOptions {
  /** Pauses and resumes steps (only `setStepPaused` is used). */
  readonly system: Pick<CampaignSystem, 'setStepPaused'>;
  readonly connectors: ConnectorRegistry;
  /** The runtime's journaled caller (one per runtime). */
  readonly caller: Pick<JournaledCaller, 'call'>;
  /** The spec of a campaign. */
  readonly specOf: (campaignId: string) => Promise<CampaignSpec> | CampaignSpec;
  /** The platform id of what an ad step launched, once it has. @default unknown: the step is paused in the campaign */
  readonly launchedAs?: (campaignId: string, stepId: string) => Promise<string | undefined>;
  /**
   * Who did not open (or click) a step's message; the platform's per-recipient events decide.
   * @default nobody: a resend then sends nothing and says so
   */
  readonly recipientsOf?: (
    campaignId: string,
    stepId: string,
    who: 'non_openers' | 'non_clickers',
  ) => Promise<readonly Recipient[]>;
}

/**
 * Builds the effects a `RuleEngine` uses on a `CampaignSystem`.
 * @example
 * const effects = createCampaignRuleEffects({ system, connectors, caller, specOf });
 */
export function createCampaignRuleEffects(options: CampaignRuleEffectsOptions): RuleEffects {
  const stepOf = async (campaignId: string, stepId: string) => {
    const spec = await options.specOf(campaignId);
    const step = spec.steps.find((s) => s.id === stepId);
    if (!step)
      throw new HeraldError('unknown_step', `campaign "${campaignId}" has no step "${stepId}"`);
    return { spec, step };
  };
  const outcome = (result: Awaited<ReturnType<JournaledCaller['call']>>): EffectOutcome =>
    result.status === 'done' ? { status: 'done' } : { status: 'unknown', detail: result.reason };

  return {
    // An ad that is already live is paused (or resumed) on its platform; a step that has not
    // run yet is held back in the campaign.
    async setStepPaused(campaignId, stepId, paused) {
      const { spec, step } = await stepOf(campaignId, stepId);
      const launched =
        step.action === 'ad_launch' ? await options.launchedAs?.(campaignId, stepId) : undefined;
      if (launched === undefined) {
        await options.system.setStepPaused(campaignId, stepId, paused);
        return;
      }
      await options.caller.call(options.connectors.get(step.platform), {
        campaignId,
        stepId,
        platform: step.platform,
        action: paused ? 'ad_pause' : 'ad_launch',
        content: step.content,
        options: { campaignId: launched, ...step.options },
        currency: spec.currency,
        recipients: [],
        idempotencyKey: `rule:${campaignId}:${stepId}:${paused ? 'pause' : 'resume'}`,
      });
    },

    async changeBudget(change) {
      const { spec, step } = await stepOf(change.campaignId, change.stepId);
      const result = await options.caller.call(options.connectors.get(step.platform), {
        campaignId: change.campaignId,
        stepId: change.stepId,
        platform: step.platform,
        action: 'budget_change',
        content: step.content,
        options: step.options,
        budget: { amount: change.amount, period: change.period },
        currency: spec.currency,
        recipients: [],
        idempotencyKey: change.idempotencyKey,
      });
      return outcome(result);
    },

    async resend(resend) {
      const { spec, step } = await stepOf(resend.campaignId, resend.stepId);
      const recipients =
        (await options.recipientsOf?.(resend.campaignId, resend.stepId, resend.to)) ?? [];
      if (recipients.length === 0) {
        return { status: 'done', detail: `no ${resend.to.replace('_', '-')} known: nothing sent` };
      }
      const connector = options.connectors.get(step.platform);
      const size = connector.maxBatchSize > 0 ? connector.maxBatchSize : recipients.length;
      let unknown: string | undefined;
      for (let start = 0; start < recipients.length; start += size) {
        const batch = Math.floor(start / size);
        const result = await options.caller.call(connector, {
          campaignId: resend.campaignId,
          stepId: resend.stepId,
          platform: step.platform,
          action: step.action,
          content: { ...step.content, ...(resend.subject ? { subject: resend.subject } : {}) },
          options: step.options,
          currency: spec.currency,
          recipients: recipients.slice(start, start + size),
          idempotencyKey: batch === 0 ? resend.idempotencyKey : `${resend.idempotencyKey}:${batch}`,
        });
        if (result.status !== 'done') unknown ??= result.reason;
      }
      return unknown === undefined ? { status: 'done' } : { status: 'unknown', detail: unknown };
    },

    async notify(notification) {
      const spec = await options.specOf(notification.campaignId);
      const platform = Platform.parse(notification.platform);
      const result = await options.caller.call(options.connectors.get(platform), {
        campaignId: notification.campaignId,
        stepId: 'rules',
        platform,
        action: 'notify',
        content: { text: notification.message, mediaUrls: [], variants: [] },
        options: {},
        currency: spec.currency,
        recipients: [],
        idempotencyKey: notification.idempotencyKey,
      });
      return outcome(result);
    },
  };
}
