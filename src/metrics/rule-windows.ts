/**
 * @module
 * When a metric rule may be judged: its window opens when the steps it watches have run (its
 * own step, or the steps it compares) — or when the campaign starts, for a rule about the whole
 * campaign — and closes `window` later. The campaign chart monitors until every window has
 * closed, and the rule engine judges each rule once its window has closed: both from here.
 */
import { Duration } from 'luxon';
import type { Condition } from '../spec/condition-schema.js';

/**
 * How long monitoring lasts past the last window's close: the rule judged at the close acts
 * (and its platform calls settle) while the campaign is still monitoring.
 */
export const JUDGING_MARGIN_MS = 3_600_000;

/** A rule as the campaign chart monitors it. */
export interface MonitoredRule {
  readonly id: string;
  /** Steps whose run opens the window; empty for a rule about the whole campaign. */
  readonly watches: readonly string[];
  readonly windowMs: number;
}

/** The steps a condition watches: its own, or those it compares, shifts budget between or picks from. */
export function watchedSteps(condition: Condition): string[] {
  if (condition.step !== undefined) return [condition.step];
  const then = condition.then;
  return then.type === 'shift_budget' || then.type === 'pick_winner' ? [...then.steps] : [];
}

/**
 * A condition as the chart monitors it.
 * @example
 * monitoredRule(condition); // { id: 'condition-1', watches: ['email-1'], windowMs: 86_400_000 }
 */
export function monitoredRule(condition: Condition): MonitoredRule {
  return {
    id: condition.id,
    watches: watchedSteps(condition),
    windowMs: Duration.fromISO(condition.window).as('milliseconds'),
  };
}

/**
 * When the rule's window opens, epoch ms: when the last watched step finished, or
 * `campaignStart`; undefined while a watched step has not finished (it cannot be judged yet).
 */
export function windowOpensAt(
  rule: MonitoredRule,
  campaignStart: number,
  finishedAt: (stepId: string) => number | undefined,
): number | undefined {
  if (rule.watches.length === 0) return campaignStart;
  let latest = -Infinity;
  for (const step of rule.watches) {
    const at = finishedAt(step);
    if (at === undefined) return undefined;
    latest = Math.max(latest, at);
  }
  return latest;
}
