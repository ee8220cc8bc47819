/**
 * @module
 * `RuleEngine`: evaluates a campaign's metric conditions against the stored metrics and acts
 * once when one becomes true — pause or resume a step, change or shift budget, resend, notify,
 * pick an A/B winner — logging each action in plain English with the numbers behind it and
 * the values it replaced, so it can be reverted. A/B winners are picked only with statistical
 * confidence; budget can optionally be shifted by a seeded Thompson-sampling bandit.
 */
import { Duration } from 'luxon';
import type { Result } from '../errors.js';
import type { Clock } from '../schedule/clock.js';
import type { CampaignSpec } from '../spec/campaign-schema.js';
import type { Condition, ConditionAction } from '../spec/condition-schema.js';
import type { ActionChange, AutomaticAction } from './automatic-action.js';
import { totalOf } from './daily-metrics.js';
import type { MetricValues } from './metric-fields.js';
import { formatMoney } from './metric-format.js';
import type { MetricsDatabase } from './metrics-database.js';
import { addDays, dayAt, startOfDay } from './reporting-day.js';
import { planBudgetShift, type BanditSettings } from './budget-shift.js';
import { decideComparison, decideThreshold, type RuleDecision } from './rule-decisions.js';
import type { EffectOutcome, RuleEffects } from './rule-effects.js';

/** Options of a {@link RuleEngine}. */
export interface RuleEngineOptions {
  readonly database: MetricsDatabase;
  readonly effects: RuleEffects;
  readonly clock: Clock;
  /** Confidence an A/B winner needs. @default 0.95 */
  readonly confidence?: number;
  /** Trials (deliveries, impressions, clicks) each variant needs before any A/B test. @default 100 */
  readonly minimumTrials?: number;
  /**
   * When a rule's window opens, epoch ms (see `windowOpensAt`).
   * @default the start of the first day with metrics of its step, in the campaign zone
   */
  readonly startedAt?: (campaignId: string, condition: Condition) => number | undefined;
  /** Use a Thompson-sampling bandit for `shift_budget`. @default off: the best variant takes it all */
  readonly bandit?: BanditSettings;
}

/** What one evaluation of one rule concluded. */
export interface RuleEvaluation {
  readonly ruleId: string;
  /**
   * `fired`: acted now; `already_fired`; `waiting`: its window has not passed; `no_data`;
   * `not_met`; `no_winner`: the A/B test is not significant yet; `failed`: the action failed
   * and the rule will try again.
   */
  readonly status:
    'fired' | 'already_fired' | 'waiting' | 'no_data' | 'not_met' | 'no_winner' | 'failed';
  readonly explanation: string;
  readonly action?: AutomaticAction;
}

interface Plan {
  /** The whole action in plain English, with the numbers. */
  readonly explanation: string;
  readonly changes: ActionChange[];
  readonly perform: () => Promise<EffectOutcome>;
}

/**
 * Evaluates metric rules and acts on campaigns.
 * @example
 * const engine = new RuleEngine({ database, effects: createCampaignRuleEffects({ system, … }), clock });
 * await engine.evaluate(campaignId, spec); // [{ ruleId: 'low-opens', status: 'fired', … }]
 */
export class RuleEngine {
  readonly #options: RuleEngineOptions;
  readonly #queues = new Map<string, Promise<unknown>>();

  constructor(options: RuleEngineOptions) {
    this.#options = options;
  }

  /** Evaluates every condition of `spec`; evaluations of one campaign run one at a time. */
  evaluate(campaignId: string, spec: CampaignSpec): Promise<RuleEvaluation[]> {
    const previous = this.#queues.get(campaignId) ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(async () => {
        const out: RuleEvaluation[] = [];
        for (const condition of spec.conditions) {
          out.push(await this.#evaluateOne(campaignId, spec, condition));
        }
        return out;
      });
    this.#queues.set(campaignId, next);
    return next;
  }

  /** Every automatic action taken on a campaign, oldest first. */
  actions(campaignId: string): AutomaticAction[] {
    return this.#options.database.actions(campaignId);
  }

  /** Undoes an action by restoring the values it replaced; resends and notifications cannot be undone. */
  async revert(actionId: string, spec: CampaignSpec): Promise<Result<AutomaticAction>> {
    const { database, effects, clock } = this.#options;
    const action = database.action(actionId);
    const fail = (code: string, message: string): Result<AutomaticAction> => ({
      success: false,
      error: [{ code, path: ['actionId'], message }],
    });
    if (!action) return fail('unknown_action', `no automatic action "${actionId}"`);
    if (action.revertedAt !== undefined)
      return fail('already_reverted', `${actionId} was already reverted`);
    if (action.changes.length === 0) {
      return fail('not_revertible', `a ${action.kind} cannot be undone (${action.explanation})`);
    }
    const done: string[] = [];
    for (const change of [...action.changes].reverse()) {
      if (change.field === 'paused') {
        await effects.setStepPaused(action.campaignId, change.stepId, change.previous === true);
        done.push(`${change.previous === true ? 'paused' : 'resumed'} step ${change.stepId}`);
      } else if (typeof change.previous === 'number') {
        const step = spec.steps.find((s) => s.id === change.stepId);
        await effects.changeBudget({
          campaignId: action.campaignId,
          stepId: change.stepId,
          amount: change.previous,
          period: step?.budget?.period ?? 'daily',
          idempotencyKey: `rule:${action.id}:revert:budget:${change.stepId}`,
        });
        done.push(
          `set step ${change.stepId}'s budget back to ${formatMoney(change.previous, spec.currency)}`,
        );
      }
    }
    const reverted: AutomaticAction = {
      ...action,
      revertedAt: clock.now(),
      revertExplanation: `Reverted: ${done.join('; ')}.`,
    };
    database.saveAction(reverted);
    return { success: true, data: reverted };
  }

  async #evaluateOne(
    campaignId: string,
    spec: CampaignSpec,
    condition: Condition,
  ): Promise<RuleEvaluation> {
    const { database, clock } = this.#options;
    const ruleId = condition.id;
    if (database.hasFired(campaignId, ruleId)) {
      return { ruleId, status: 'already_fired', explanation: `${ruleId} already fired` };
    }
    const start = this.#startOf(campaignId, spec, condition);
    if (start === undefined) {
      return { ruleId, status: 'no_data', explanation: `${ruleId}: no metrics yet` };
    }
    const windowMs = Duration.fromISO(condition.window).as('milliseconds');
    if (clock.now() < start + windowMs) {
      return {
        ruleId,
        status: 'waiting',
        explanation: `${ruleId}: waiting until ${new Date(start + windowMs).toISOString()} (${condition.window} after the step started)`,
      };
    }
    const decision =
      condition.op === 'max' || condition.op === 'min'
        ? decideComparison(condition, this.#variants(campaignId, spec, condition), spec.currency, {
            confidence: this.#options.confidence ?? 0.95,
            minimumTrials: this.#options.minimumTrials ?? 100,
          })
        : decideThreshold(condition, this.#totals(campaignId, condition.step), spec.currency);
    if ('status' in decision) return { ruleId, ...decision };
    const plan = this.#plan(campaignId, spec, condition, decision);
    if ('status' in plan) return plan;
    if (!database.claimFiring(campaignId, ruleId, clock.now())) {
      return { ruleId, status: 'already_fired', explanation: `${ruleId} already fired` };
    }
    const base = {
      id: `${campaignId}:${ruleId}`,
      campaignId,
      ruleId,
      kind: condition.then.type,
      explanation: plan.explanation,
      numbers: decision.numbers,
      changes: plan.changes,
      at: clock.now(),
    };
    try {
      const outcome = await plan.perform();
      const action: AutomaticAction = {
        ...base,
        status: outcome.status,
        ...(outcome.detail ? { error: outcome.detail } : {}),
      };
      database.saveAction(action);
      return { ruleId, status: 'fired', explanation: plan.explanation, action };
    } catch (error) {
      // Journaled calls make a retry safe, so the rule may try again at the next evaluation.
      database.releaseFiring(campaignId, ruleId);
      const message = error instanceof Error ? error.message : String(error);
      const action: AutomaticAction = { ...base, status: 'failed', error: message };
      database.saveAction(action);
      return {
        ruleId,
        status: 'failed',
        explanation: `${plan.explanation} The action failed: ${message}`,
        action,
      };
    }
  }

  #startOf(campaignId: string, spec: CampaignSpec, condition: Condition): number | undefined {
    const given = this.#options.startedAt?.(campaignId, condition);
    if (given !== undefined) return given;
    const stepId = condition.step;
    const first = this.#options.database.records({
      campaignId,
      ...(stepId ? { stepId } : {}),
    })[0];
    return first ? startOfDay(first.day, spec.defaultZone) : undefined;
  }

  #totals(campaignId: string, stepId: string | undefined, to?: string): MetricValues {
    return totalOf(
      this.#options.database.daily({
        campaignId,
        ...(stepId ? { stepId } : {}),
        ...(to ? { to } : {}),
      }),
    );
  }

  /** Totals of each step a comparison ranks; a bandit leaves out days of late conversions. */
  #variants(
    campaignId: string,
    spec: CampaignSpec,
    condition: Condition,
  ): { id: string; values: MetricValues }[] {
    const then = condition.then;
    const stepIds = 'steps' in then ? then.steps : condition.step ? [condition.step] : [];
    const lateDays = this.#options.bandit?.lateConversionDays ?? 1;
    // Today is incomplete and the `lateDays` before it may still gain conversions.
    const cutoff =
      then.type === 'shift_budget' && this.#options.bandit
        ? addDays(dayAt(this.#options.clock.now(), spec.defaultZone), -(lateDays + 1))
        : undefined;
    return stepIds.map((id) => ({ id, values: this.#totals(campaignId, id, cutoff) }));
  }

  /** Turns a decision into changes and the call that makes them. */
  #plan(
    campaignId: string,
    spec: CampaignSpec,
    condition: Condition,
    decision: RuleDecision,
  ): Plan | RuleEvaluation {
    const { effects } = this.#options;
    const then: ConditionAction = condition.then;
    const key = `rule:${campaignId}:${condition.id}`;
    const sentence = (text: string): string => `${text} because ${decision.explanation}.`;
    switch (then.type) {
      case 'pause':
      case 'resume': {
        const paused = then.type === 'pause';
        return {
          explanation: sentence(`${paused ? 'Paused' : 'Resumed'} step ${then.step}`),
          changes: [{ stepId: then.step, field: 'paused', previous: !paused, applied: paused }],
          perform: async () => {
            await effects.setStepPaused(campaignId, then.step, paused);
            return { status: 'done' };
          },
        };
      }
      case 'budget_change': {
        const current = this.#budgetOf(campaignId, spec, then.step);
        const amount =
          then.amount ??
          (current !== undefined && then.percent !== undefined
            ? current * (1 + then.percent / 100)
            : undefined);
        if (amount === undefined) {
          return {
            ruleId: condition.id,
            status: 'failed',
            explanation: `${condition.id}: step ${then.step} has no budget to change by a percentage`,
          };
        }
        const rounded = Math.round(amount * 100) / 100;
        return {
          explanation: sentence(
            `Changed step ${then.step}'s budget from ${current === undefined ? 'unset' : formatMoney(current, spec.currency)} to ${formatMoney(rounded, spec.currency)}`,
          ),
          changes: [
            { stepId: then.step, field: 'budget', previous: current ?? null, applied: rounded },
          ],
          perform: () =>
            effects.changeBudget({
              campaignId,
              stepId: then.step,
              amount: rounded,
              period: this.#periodOf(spec, then.step),
              idempotencyKey: `${key}:budget:${then.step}`,
            }),
        };
      }
      case 'shift_budget':
        return this.#shiftBudget(campaignId, spec, condition, decision, key);
      case 'pick_winner': {
        const [winner, ...losers] = decision.steps.map((s) => s.id);
        return {
          explanation: `Picked ${winner!} as the winner and paused ${losers.join(', ')}: ${decision.explanation}.`,
          changes: losers.map((id) => ({
            stepId: id,
            field: 'paused',
            previous: false,
            applied: true,
          })),
          perform: async () => {
            for (const id of losers) await effects.setStepPaused(campaignId, id, true);
            return { status: 'done' };
          },
        };
      }
      case 'resend':
        return {
          explanation: sentence(
            `Resent step ${then.step} to ${then.to.replace('_', '-')}${then.subject ? ` with the subject "${then.subject}"` : ''}`,
          ),
          changes: [],
          perform: () =>
            effects.resend({
              campaignId,
              stepId: then.step,
              to: then.to,
              ...(then.subject ? { subject: then.subject } : {}),
              idempotencyKey: `${key}:resend:${then.step}`,
            }),
        };
      case 'notify':
        return {
          explanation: sentence(`Notified ${then.platform}: "${then.message}"`),
          changes: [],
          perform: () =>
            effects.notify({
              campaignId,
              platform: then.platform,
              message: `${then.message} (${decision.explanation})`,
              idempotencyKey: `${key}:notify`,
            }),
        };
    }
  }

  #shiftBudget(
    campaignId: string,
    spec: CampaignSpec,
    condition: Condition,
    decision: RuleDecision,
    key: string,
  ): Plan | RuleEvaluation {
    const { effects, bandit } = this.#options;
    const budgets = decision.steps.map((s) => ({
      ...s,
      budget: this.#budgetOf(campaignId, spec, s.id),
    }));
    const unknown = budgets.filter((b) => b.budget === undefined).map((b) => b.id);
    if (unknown.length > 0) {
      return {
        ruleId: condition.id,
        status: 'failed',
        explanation: `${condition.id}: no budget known for ${unknown.join(', ')}; give those steps a budget`,
      };
    }
    const { changes, explanation } = planBudgetShift(
      budgets.map((b) => ({ id: b.id, values: b.values, budget: b.budget! })),
      spec.currency,
      bandit,
    );
    return {
      explanation: `${explanation}, because ${decision.explanation}.`,
      changes,
      perform: async () => {
        let status: EffectOutcome['status'] = 'done';
        for (const change of changes) {
          if (change.field === 'paused') {
            await effects.setStepPaused(campaignId, change.stepId, true);
            continue;
          }
          const outcome = await effects.changeBudget({
            campaignId,
            stepId: change.stepId,
            amount: change.applied as number,
            period: this.#periodOf(spec, change.stepId),
            idempotencyKey: `${key}:budget:${change.stepId}`,
          });
          if (outcome.status === 'unknown') status = 'unknown';
        }
        return { status };
      },
    };
  }

  /** The step's budget now: the last unreverted automatic change, else the spec's. */
  #budgetOf(campaignId: string, spec: CampaignSpec, stepId: string): number | undefined {
    let budget = spec.steps.find((s) => s.id === stepId)?.budget?.amount;
    for (const action of this.#options.database.actions(campaignId)) {
      if (action.revertedAt !== undefined || action.status === 'failed') continue;
      for (const change of action.changes) {
        if (
          change.stepId === stepId &&
          change.field === 'budget' &&
          typeof change.applied === 'number'
        ) {
          budget = change.applied;
        }
      }
    }
    return budget;
  }

  #periodOf(spec: CampaignSpec, stepId: string): 'daily' | 'lifetime' {
    return spec.steps.find((s) => s.id === stepId)?.budget?.period ?? 'daily';
  }
}
