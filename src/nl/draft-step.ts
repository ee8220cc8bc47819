/**
 * @module
 * A step while the text is being read: every timing fact stated for it so far, the problems
 * found with them, and how time attributes apply to it (set when stated for the step itself,
 * fill-only when shared by a header or a neighbouring clause).
 */
import type { MetricName } from '../spec/condition-schema.js';
import type { Platform, StepAction } from '../spec/platforms.js';
import type { Attr, TimeProblem } from './text-scanner.js';

/** A problem with one timing field of a step. */
export interface StepProblem {
  readonly code: TimeProblem;
  readonly field: 'time' | 'date' | 'zone' | 'recurrence';
  readonly span: readonly [number, number];
}

/** A step being assembled. */
export interface DraftStep {
  platform: Platform;
  action: StepAction;
  chat?: string;
  span: readonly [number, number];
  sentence: number;
  time?: string;
  date?: string;
  zone?: string;
  local?: boolean;
  recurrence?: string;
  start?: string;
  until?: string;
  count?: number;
  after?: number;
  offset?: string;
  now?: boolean;
  budget?: { amount: number; period: 'daily' | 'lifetime' };
  problems: StepProblem[];
  /** True for a step sent as an A/B test of two variants. */
  ab?: boolean;
  /** For "send the winner": the metric that picks it. */
  winner?: MetricName | 'default';
  /** True while the date comes from a holiday name, which a stated date replaces. */
  weakDate?: boolean;
  /** More dates the same step is sent on ("on Dec 9 and Dec 16"). */
  repeats?: string[];
  /** True once any timing attribute was applied. */
  timed: boolean;
}

/** A time attribute with its span, and the step a relative one is anchored to. */
export interface PlacedAttr {
  readonly attr: Attr;
  readonly span: readonly [number, number];
  readonly anchorStep?: number;
}

function problem(
  step: DraftStep,
  code: TimeProblem,
  field: StepProblem['field'],
  span: readonly [number, number],
): void {
  step.problems.push({ code, field, span });
}

/**
 * Applies one attribute to a step. With `fill`, fields already stated are kept.
 * `previous` is the step before the one being built, for "the same day" and "the same time".
 */
export function applyAttr(
  step: DraftStep,
  placed: PlacedAttr,
  fill: boolean,
  previous: DraftStep | undefined,
): void {
  const { attr, span } = placed;
  const free = (key: keyof DraftStep): boolean => !fill || step[key] === undefined;
  step.timed = true;
  switch (attr.type) {
    case 'clock':
      if (step.time !== undefined || step.problems.some((p) => p.field === 'time')) return;
      if (attr.time !== undefined) step.time = attr.time;
      else problem(step, attr.problem!, 'time', span);
      return;
    case 'date': {
      const key = attr.role ?? 'date';
      const replaceWeak = key === 'date' && step.weakDate === true && attr.weak !== true;
      if (
        !replaceWeak &&
        (step[key] !== undefined ||
          (key === 'date' && step.problems.some((p) => p.field === 'date')))
      )
        return;
      step.weakDate = key === 'date' && attr.weak === true;
      if (attr.date !== undefined) step[key] = attr.date;
      else problem(step, attr.problem!, 'date', span);
      return;
    }
    case 'zone':
      if (free('zone')) step.zone = attr.zone;
      return;
    case 'local':
      step.local = true;
      return;
    case 'recur':
      if (step.recurrence === undefined || (step.recurrence.indexOf(':') < 0 && !attr.needsDay))
        step.recurrence = attr.recurrence;
      return;
    case 'relative':
      if (free('after') && placed.anchorStep !== undefined) {
        step.after = placed.anchorStep;
        step.offset = attr.offset;
      }
      return;
    case 'now':
      step.now = true;
      return;
    case 'same':
      copySame(step, previous, attr.what);
      return;
    case 'count':
      step.count = attr.count;
      return;
    case 'budget':
      step.budget = { amount: attr.amount, period: attr.period };
      return;
    case 'anchor':
      return;
  }
}

function copySame(step: DraftStep, previous: DraftStep | undefined, what: 'day' | 'time'): void {
  if (previous === undefined) return;
  const keys =
    what === 'day'
      ? (['date'] as const)
      : (['date', 'time', 'zone', 'local', 'recurrence', 'start', 'until', 'count'] as const);
  for (const key of keys) {
    const value = previous[key];
    if (value !== undefined && step[key] === undefined) Object.assign(step, { [key]: value });
  }
}
