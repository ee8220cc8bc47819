/**
 * Helpers of the rule tests: a campaign spec, metric records to store, and effects that
 * record what they were asked to do.
 */
import type { MetricValues } from '../../src/metrics/metric-fields.js';
import type { MetricRecord } from '../../src/metrics/normalise-metrics.js';
import type { EffectOutcome, RuleEffects } from '../../src/metrics/rule-effects.js';
import { CampaignSpec } from '../../src/spec/campaign-schema.js';
import type { Platform } from '../../src/spec/platforms.js';

/** A campaign with an email step and two ad variants with budgets, plus `conditions`. */
export function specWith(conditions: unknown[]): CampaignSpec {
  return CampaignSpec.parse({
    name: 'Spring launch',
    currency: 'USD',
    steps: [
      {
        id: 'mail',
        platform: 'sendgrid',
        action: 'email',
        content: { subject: 'Hi', text: 'Hello' },
      },
      { id: 'ad-a', platform: 'google_ads', action: 'ad_launch', budget: { amount: 100 } },
      { id: 'ad-b', platform: 'google_ads', action: 'ad_launch', budget: { amount: 50 } },
    ],
    conditions,
  });
}

/** A stored record of one step and day. */
export function rec(
  stepId: string,
  day: string,
  values: MetricValues,
  platform: Platform = stepId === 'mail' ? 'sendgrid' : 'google_ads',
  fetchedAt = 1,
): MetricRecord {
  return {
    campaignId: 'c1',
    stepId,
    platform,
    entity: '',
    day,
    sourceDay: day,
    sourceZone: 'UTC',
    values,
    missing: [],
    provisional: false,
    fetchedAt,
    notes: [],
  };
}

/** One call the effects received. */
export type EffectCall = [string, ...unknown[]];

/** Effects that record calls; `fail` makes the next budget change throw. */
export function recordingEffects(): RuleEffects & { calls: EffectCall[]; fail: boolean } {
  const done: EffectOutcome = { status: 'done' };
  const effects = {
    calls: [] as EffectCall[],
    fail: false,
    setStepPaused(campaignId: string, stepId: string, paused: boolean) {
      effects.calls.push(['setStepPaused', stepId, paused]);
      return Promise.resolve();
    },
    changeBudget(change: { stepId: string; amount: number; idempotencyKey: string }) {
      if (effects.fail) {
        effects.fail = false;
        return Promise.reject(new Error('platform refused'));
      }
      effects.calls.push(['changeBudget', change.stepId, change.amount, change.idempotencyKey]);
      return Promise.resolve(done);
    },
    resend(resend: { stepId: string; subject?: string; idempotencyKey: string }) {
      effects.calls.push(['resend', resend.stepId, resend.subject, resend.idempotencyKey]);
      return Promise.resolve(done);
    },
    notify(notification: { platform: string; message: string }) {
      effects.calls.push(['notify', notification.platform, notification.message]);
      return Promise.resolve<EffectOutcome>({ status: 'unknown', detail: 'no answer' });
    },
  };
  return effects;
}
