/**
 * @module
 * Turns conditions read from the text into spec conditions: resolves the step watched and the
 * step acted on ("If Meta CPA is over $25 … move that budget to Google"), and picks the action
 * (pause, resend to non-openers, budget change, shift budget, pick the winner, notify).
 */
import type { Issue } from '../errors.js';
import type { ConditionAction } from '../spec/condition-schema.js';
import type { Platform, StepAction } from '../spec/platforms.js';
import type { DraftCondition } from './campaign-draft.js';
import type { RawCondition } from './condition-matcher.js';
import { resolveReference } from './reference-resolver.js';

/** What the builder knows of each step. */
export interface BuiltStep {
  readonly id: string;
  readonly platform: Platform;
  readonly action: StepAction;
}

/** Words of a consequent that message recipients, which a condition cannot do. */
const TEXTING = new Set(['text', 'texts', 'sms']);

function named(words: readonly string[], steps: readonly BuiltStep[]): number | undefined {
  return resolveReference(words, steps, steps.length, false);
}

function lastIndex(
  steps: readonly BuiltStep[],
  test: (s: BuiltStep) => boolean,
): number | undefined {
  for (let k = steps.length - 1; k >= 0; k--) if (test(steps[k]!)) return k;
  return undefined;
}

function percentIn(words: readonly string[]): number | undefined {
  const k = words.indexOf('%');
  return k > 0 ? Number(words[k - 1]) : undefined;
}

function amountIn(words: readonly string[]): number | undefined {
  const k = words.findIndex((w) => w === '$' || w === '€' || w === '£');
  return k >= 0 && k + 1 < words.length ? Number(words[k + 1]) : undefined;
}

function actionOf(
  raw: RawCondition,
  steps: readonly BuiltStep[],
  watch: number | undefined,
): ConditionAction | undefined {
  const w = raw.then;
  const has = (...xs: string[]): boolean => xs.some((x) => w.includes(x));
  const target = named(w, steps);
  const ads = steps.map((s, i) => (s.action === 'ad_launch' ? i : -1)).filter((i) => i >= 0);
  const adTarget = target ?? watch ?? ads.at(-1);
  if (has('resend', 're-send') || (has('send') && has('again'))) {
    const step = target ?? watch ?? lastIndex(steps, (s) => s.action === 'email');
    if (step === undefined) return undefined;
    return {
      type: 'resend',
      step: steps[step]!.id,
      to: has('non-clickers') ? 'non_clickers' : 'non_openers',
    };
  }
  if (has('pause', 'stop', 'kill', 'off')) {
    if (adTarget === undefined) return undefined;
    const platform = steps[adTarget]!.platform;
    const launch = steps.findIndex((s) => s.platform === platform && s.action === 'ad_launch');
    return { type: 'pause', step: steps[launch >= 0 ? launch : adTarget]!.id };
  }
  if (has('shift', 'move')) {
    const from = watch ?? ads[0];
    const order = from === undefined ? ads : [from, ...ads.filter((i) => i !== from)];
    if (order.length >= 2) return { type: 'shift_budget', steps: order.map((i) => steps[i]!.id) };
  }
  if (
    has('raise', 'increase', 'bump', 'boost', 'double', 'lower', 'cut', 'reduce', 'decrease') &&
    adTarget !== undefined
  ) {
    const sign = has('lower', 'cut', 'reduce', 'decrease') ? -1 : 1;
    const percent = has('double') ? 100 : percentIn(w);
    const amount = amountIn(w);
    const change =
      percent !== undefined ? { percent: sign * percent } : amount !== undefined ? { amount } : {};
    return { type: 'budget_change', step: steps[adTarget]!.id, ...change };
  }
  if (has('pick', 'winner', 'choose', 'keep', 'winning')) {
    const sameKind = steps.filter((s) => watch === undefined || s.action === steps[watch]!.action);
    if (sameKind.length >= 2) return { type: 'pick_winner', steps: sameKind.map((s) => s.id) };
  }
  const chat = w.includes('teams')
    ? 'teams'
    : w.includes('email')
      ? 'email'
      : steps.find((s) => s.action === 'report')?.platform;
  const platform: Platform = chat === 'teams' || chat === 'email' ? chat : 'slack';
  return {
    type: 'notify',
    platform,
    message: raw.thenText.length > 0 ? raw.thenText : 'condition met',
  };
}

/** Builds the spec conditions and their issues. */
export function buildConditions(
  raws: readonly RawCondition[],
  steps: readonly BuiltStep[],
): { conditions: DraftCondition[]; issues: Issue[] } {
  const conditions: DraftCondition[] = [];
  const issues: Issue[] = [];
  for (const raw of raws) {
    const index = conditions.length;
    const path = (field: string): (string | number)[] => ['conditions', index, field];
    const watchNamed = named(raw.watch, steps);
    const emailMetric =
      raw.metric === 'open_rate' ||
      raw.metric === 'click_rate' ||
      raw.metric === 'unsubscribe_rate' ||
      raw.metric === 'bounce_rate';
    const postfixTarget = raw.then.includes('pause') ? named(raw.then, steps) : undefined;
    const ads = steps.filter((s) => s.action === 'ad_launch');
    const watch =
      watchNamed ??
      postfixTarget ??
      (emailMetric
        ? lastIndex(steps, (s) => s.action === 'email')
        : ads.length === 1
          ? steps.indexOf(ads[0]!)
          : undefined);
    if (raw.then.some((w) => TEXTING.has(w))) {
      issues.push({
        code: 'unsupported_action',
        path: path('then'),
        span: raw.span,
        message: `Herald cannot send a message to people when a condition holds ("${raw.thenText}")`,
        suggestions: [
          'schedule the follow-up as its own step, e.g. "text non-openers 2 days later"',
        ],
      });
      continue;
    }
    const then = actionOf(raw, steps, watch);
    if (raw.problem !== undefined) {
      const messages = {
        vague_quantity: 'how low (or high) is meant is not said',
        missing_threshold: 'the condition has no threshold',
        metric_unspecified: 'the condition does not say which metric it watches',
      };
      const suggestions = {
        vague_quantity: ['give a number, e.g. "below 15%"'],
        missing_threshold: ['give a number, e.g. "below 15%"'],
        metric_unspecified: ['name the metric, e.g. "open rate", "CTR", "ROAS"'],
      };
      issues.push({
        code: raw.problem,
        path: path(raw.problem === 'metric_unspecified' ? 'metric' : 'threshold'),
        span: raw.span,
        message: messages[raw.problem],
        suggestions: suggestions[raw.problem],
      });
    }
    if (then === undefined) {
      issues.push({
        code: 'unresolved_reference',
        path: path('then'),
        span: raw.span,
        message: 'the step this condition acts on is not in the campaign',
        suggestions: ['name the step, e.g. "pause the Meta ads"'],
      });
      continue;
    }
    const fields = {
      id: `condition-${index + 1}`,
      ...(raw.metric === undefined ? {} : { metric: raw.metric }),
      ...(watch === undefined ? {} : { step: steps[watch]!.id }),
      op: raw.op,
      threshold: raw.threshold,
      window: raw.window ?? 'PT24H',
      then,
    };
    conditions.push(fields);
    if (raw.window === undefined)
      issues.push({
        code: 'window_assumed',
        path: path('window'),
        span: raw.span,
        message:
          'no measurement period was given; it is checked continuously over the first 24 hours',
        suggestions: ['add "after 24 hours" or "after 3 days"'],
      });
  }
  return { conditions, issues };
}
