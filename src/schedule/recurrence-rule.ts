/**
 * @module
 * Herald's compact recurrence strings (`daily`, `weekdays`, `weekly:MO,TH`, `biweekly:TU`,
 * `monthly:15`, `monthly:last-FR`, `every:PT2H`) as RFC 5545 rules, and the local dates they
 * fire on. Written here rather than taken from the `rrule` package: rrule computes in the
 * process's local zone or in "floating" UTC dates and leaves DST gaps and overlaps to chance,
 * while the subset Herald needs is a few dozen lines of zone-free calendar arithmetic; the zone
 * is applied afterwards, once per local date, by `resolveLocalTime`.
 */
import {
  civilFromDays,
  daysFromCivil,
  daysInMonth,
  MINUTE_MS,
  weekdayOfDays,
} from './civil-date.js';

/** Weekday codes in ISO order (index 0 = Monday), as RFC 5545 spells them. */
export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
/** A weekday code. */
export type Weekday = (typeof WEEKDAYS)[number];

const ORDINALS = { first: 1, second: 2, third: 3, fourth: 4, last: -1 } as const;

/** A parsed recurrence: calendar rules fire on local dates, `interval` rules every fixed duration. */
export type RecurrenceRule =
  /** FREQ=WEEKLY;INTERVAL=`everyWeeks`;BYDAY=`days` (daily is every weekday). */
  | { readonly kind: 'weekly'; readonly days: readonly number[]; readonly everyWeeks: 1 | 2 }
  /** FREQ=MONTHLY;BYMONTHDAY=`day`; months without that day are skipped, as RFC 5545 says. */
  | { readonly kind: 'month_day'; readonly day: number }
  /** FREQ=MONTHLY;BYDAY=`ordinal``weekday` (ordinal -1 = last). */
  | { readonly kind: 'month_weekday'; readonly ordinal: number; readonly weekday: number }
  /** Every `everyMs` of elapsed time from the first occurrence (FREQ=HOURLY / MINUTELY). */
  | { readonly kind: 'interval'; readonly everyMs: number };

/**
 * Parses a compact recurrence string, or returns undefined when it is not one.
 * @example
 * parseRecurrence('monthly:last-FR'); // { kind: 'month_weekday', ordinal: -1, weekday: 4 }
 */
export function parseRecurrence(text: string): RecurrenceRule | undefined {
  if (text === 'daily') return { kind: 'weekly', days: [0, 1, 2, 3, 4, 5, 6], everyWeeks: 1 };
  if (text === 'weekdays') return { kind: 'weekly', days: [0, 1, 2, 3, 4], everyWeeks: 1 };
  const [head, arg] = text.split(':');
  if (arg === undefined) return undefined;
  if (head === 'weekly' || head === 'biweekly') {
    const days = arg.split(',').map((code) => WEEKDAYS.indexOf(code as Weekday));
    if (days.some((d) => d < 0)) return undefined;
    return {
      kind: 'weekly',
      days: [...new Set(days)].sort((a, b) => a - b),
      everyWeeks: head === 'weekly' ? 1 : 2,
    };
  }
  if (head === 'monthly') {
    const nth = /^(first|second|third|fourth|last)-(MO|TU|WE|TH|FR|SA|SU)$/.exec(arg);
    if (nth !== null) {
      return {
        kind: 'month_weekday',
        ordinal: ORDINALS[nth[1] as keyof typeof ORDINALS],
        weekday: WEEKDAYS.indexOf(nth[2] as Weekday),
      };
    }
    const day = Number(arg);
    return Number.isInteger(day) && day >= 1 && day <= 31 ? { kind: 'month_day', day } : undefined;
  }
  if (head === 'every') {
    const m = /^PT(\d+)([HM])$/.exec(arg);
    if (m === null || Number(m[1]) === 0) return undefined;
    return { kind: 'interval', everyMs: Number(m[1]) * (m[2] === 'H' ? 60 : 1) * MINUTE_MS };
  }
  return undefined;
}

/** Bounds of a calendar recurrence, in day counts (see `civil-date.ts`). */
export interface DateBounds {
  /** First day the rule may fire on. */
  readonly start: number;
  /** Last day (inclusive) the rule may fire on. */
  readonly until?: number;
  /** Most dates to yield. */
  readonly count?: number;
  /** Hard stop, whatever `until` and `count` say. @default 10_000 */
  readonly limit?: number;
}

/** Scan no further than this many days past the start (a century). */
const MAX_SPAN_DAYS = 36_525;

/**
 * The local dates (day counts) a calendar rule fires on, in order.
 * @example
 * [...recurrenceDates(parseRecurrence('weekdays')!, { start: parseLocalDate('2026-12-04'), count: 2 })];
 * // Friday 2026-12-04 and Monday 2026-12-07
 */
export function* recurrenceDates(
  rule: Exclude<RecurrenceRule, { kind: 'interval' }>,
  bounds: DateBounds,
): Generator<number> {
  const limit = Math.min(bounds.count ?? Infinity, bounds.limit ?? 10_000);
  const last = Math.min(bounds.until ?? Infinity, bounds.start + MAX_SPAN_DAYS);
  let yielded = 0;
  for (const day of candidates(rule, bounds.start, last)) {
    if (yielded >= limit) return;
    yielded++;
    yield day;
  }
}

function* candidates(
  rule: Exclude<RecurrenceRule, { kind: 'interval' }>,
  start: number,
  last: number,
): Generator<number> {
  if (rule.kind === 'weekly') {
    const weekOfStart = start - weekdayOfDays(start);
    for (let day = start; day <= last; day++) {
      if (rule.everyWeeks === 2 && Math.floor((day - weekOfStart) / 7) % 2 !== 0) continue;
      if (rule.days.includes(weekdayOfDays(day))) yield day;
    }
    return;
  }
  const first = civilFromDays(start);
  for (let index = first.year * 12 + first.month - 1; ; index++) {
    const year = Math.floor(index / 12);
    const month = (index % 12) + 1;
    if (daysFromCivil(year, month, 1) > last) return;
    const day = dayInMonth(rule, year, month);
    if (day !== undefined && day >= start && day <= last) yield day;
  }
}

function dayInMonth(
  rule: Exclude<RecurrenceRule, { kind: 'interval' | 'weekly' }>,
  year: number,
  month: number,
): number | undefined {
  const length = daysInMonth(year, month);
  if (rule.kind === 'month_day')
    return rule.day <= length ? daysFromCivil(year, month, rule.day) : undefined;
  if (rule.ordinal > 0) {
    const firstDay = daysFromCivil(year, month, 1);
    return firstDay + ((rule.weekday - weekdayOfDays(firstDay) + 7) % 7) + (rule.ordinal - 1) * 7;
  }
  const lastDay = daysFromCivil(year, month, length);
  return lastDay - ((weekdayOfDays(lastDay) - rule.weekday + 7) % 7);
}
