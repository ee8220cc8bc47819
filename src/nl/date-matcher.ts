/**
 * @module
 * Matchers for calendar dates: "Tuesday Dec 1", "4 December", "March 14, 2027", "11/30",
 * "2026-12-01", "today", "tomorrow", "Friday", "next Tuesday" and marketing holidays
 * ("Black Friday", "Cyber Monday"). A date without a year is the next one on or after today
 * (a date that passed within the last 60 days is reported as `past_date`).
 */
import { DateTime } from 'luxon';
import type { Attr, Item, ScanContext, Scanner, TimeProblem } from './text-scanner.js';
import { HOLIDAYS, MONTHS, WEEKDAYS } from './time-lexicon.js';

type DateAttr = Extract<Attr, { type: 'date' }>;

const dateItem = (attr: DateAttr, first: number, last: number): Item => ({
  kind: 'attr',
  attr,
  first,
  last,
});
const problem = (p: TimeProblem): DateAttr => ({ type: 'date', problem: p });

function yearAt(s: Scanner, i: number): number | undefined {
  const n = s.number(i);
  return n !== undefined && n >= 2000 && n <= 2100 && s.tokens[i]!.raw.length === 4 ? n : undefined;
}

/** Resolves a month and day (and maybe year and weekday) against today. */
function resolve(
  ctx: ScanContext,
  month: number,
  day: number,
  year?: number,
  weekday?: number,
): DateAttr {
  const today = ctx.now.startOf('day');
  let date = DateTime.fromObject({ year: year ?? today.year, month, day }, { zone: ctx.now.zone });
  if (!date.isValid) return problem('nonexistent_date');
  if (year === undefined && date < today) {
    if (today.diff(date, 'days').days > 60) date = date.plus({ years: 1 });
    else return problem('past_date');
  }
  if (date < today) return problem('past_date');
  if (weekday !== undefined && date.weekday !== weekday) return problem('nonexistent_date');
  return { type: 'date', date: date.toISODate() };
}

function fromDay(ctx: ScanContext, days: number): DateAttr {
  return { type: 'date', date: ctx.now.startOf('day').plus({ days }).toISODate()! };
}

/** "the 15th", "on the 3rd": that day of this month, or of the next when it has passed. */
function dayOfMonth(s: Scanner, i: number, ctx: ScanContext): Item | undefined {
  const t = s.tokens[i + 1];
  const day = s.number(i + 1);
  if (s.word(i) !== 'the' || day === undefined || !/(st|nd|rd|th)$/i.test(t!.raw)) return undefined;
  if (!Number.isInteger(day) || day < 1 || day > 31 || s.word(i + 2) === 'of') return undefined;
  let date = ctx.now.startOf('day').set({ day });
  if (date.day !== day || date < ctx.now.startOf('day')) {
    date = ctx.now.startOf('month').plus({ months: 1 }).set({ day });
    if (date.day !== day) return undefined;
  }
  return dateItem({ type: 'date', date: date.toISODate()! }, i, i + 1);
}

/** "the end of January", "end of Jan": the month's last day, in the coming year when past. */
function endOfMonth(s: Scanner, i: number, ctx: ScanContext): Item | undefined {
  const k = s.word(i) === 'the' ? i + 1 : i;
  if (s.word(k) !== 'end' || s.word(k + 1) !== 'of') return undefined;
  const month = MONTHS.get(s.word(k + 2));
  if (month === undefined) return undefined;
  let last = ctx.now.set({ month }).endOf('month').startOf('day');
  if (last < ctx.now.startOf('day')) last = last.plus({ years: 1 }).endOf('month').startOf('day');
  return dateItem({ type: 'date', date: last.toISODate()! }, i, k + 2);
}

/** Month-and-day forms starting at `i`: "Dec 1", "December 4th, 2026", "4 December", "11/30". */
function matchMonthDay(
  s: Scanner,
  i: number,
  ctx: ScanContext,
  weekday?: number,
): { attr: DateAttr; last: number } | undefined {
  const month = MONTHS.get(s.word(i));
  const day = s.number(i + 1);
  if (
    month !== undefined &&
    day !== undefined &&
    Number.isInteger(day) &&
    day >= 1 &&
    day <= 31 &&
    s.tokens[i + 1]!.raw.length <= 4
  ) {
    const comma = s.word(i + 2) === ',' ? 1 : 0;
    const year = yearAt(s, i + 2 + comma);
    return {
      attr: resolve(ctx, month, day, year, weekday),
      last: year === undefined ? i + 1 : i + 2 + comma,
    };
  }
  const n = s.number(i);
  if (n === undefined) return undefined;
  const named = MONTHS.get(s.word(i + 1) === 'of' ? s.word(i + 2) : s.word(i + 1));
  if (named !== undefined && n >= 1 && n <= 31) {
    const at = s.word(i + 1) === 'of' ? i + 2 : i + 1;
    const year = yearAt(s, at + 1);
    return { attr: resolve(ctx, named, n, year, weekday), last: year === undefined ? at : at + 1 };
  }
  const d = s.number(i + 2);
  if (s.word(i + 1) === '/' && d !== undefined && n >= 1 && n <= 12 && d >= 1 && d <= 31) {
    const year = s.word(i + 3) === '/' ? yearAt(s, i + 4) : undefined;
    const last = year === undefined ? i + 2 : i + 4;
    // 5/12 is May 12 in the US and 5 December elsewhere; 11/30 can only be November 30.
    if (d <= 12 && d !== n) return { attr: problem('ambiguous_date'), last };
    return { attr: resolve(ctx, n, d, year, weekday), last };
  }
  const iso = yearAt(s, i);
  const mm = s.number(i + 2);
  const dd = s.number(i + 4);
  if (
    iso !== undefined &&
    s.word(i + 1) === '-' &&
    s.word(i + 3) === '-' &&
    mm !== undefined &&
    dd !== undefined
  ) {
    return { attr: resolve(ctx, mm, dd, iso, weekday), last: i + 4 };
  }
  return undefined;
}

function matchHoliday(s: Scanner, i: number, ctx: ScanContext): Item | undefined {
  for (const n of [3, 2, 1]) {
    const key = Array.from({ length: n }, (_, k) => s.word(i + k)).join(' ');
    const rule = HOLIDAYS.get(key);
    if (rule === undefined) continue;
    const stated = yearAt(s, i + n);
    const today = ctx.now.startOf('day');
    let date = rule(stated ?? today.year);
    if (stated === undefined && date.toISODate()! < today.toISODate()!) date = rule(today.year + 1);
    const attr: DateAttr =
      date.toISODate()! < today.toISODate()!
        ? problem('past_date')
        : { type: 'date', date: date.toISODate()! };
    return dateItem(
      attr.date === undefined ? attr : { ...attr, weak: true },
      i,
      stated === undefined ? i + n - 1 : i + n,
    );
  }
  return undefined;
}

function matchWeekday(s: Scanner, i: number, ctx: ScanContext): Item | undefined {
  const w = s.word(i);
  const modifier = w === 'next' || w === 'this' || w === 'coming' ? w : undefined;
  const at = modifier === undefined ? i : i + 1;
  const weekday = WEEKDAYS.get(s.word(at));
  if (weekday === undefined || s.word(at).endsWith('days')) return undefined;
  const skip = s.word(at + 1) === ',' || s.word(at + 1) === 'the' ? 1 : 0;
  const dated = matchMonthDay(s, at + 1 + skip, ctx, weekday);
  if (dated !== undefined) return dateItem(dated.attr, i, dated.last);
  const today = ctx.now.weekday;
  const delta = (weekday - today + 7) % 7;
  if (modifier === 'next') {
    if (delta === 0) return dateItem(fromDay(ctx, 7), i, at);
    return dateItem(
      weekday > today ? problem('ambiguous_relative_date') : fromDay(ctx, delta),
      i,
      at,
    );
  }
  if (delta === 0 && modifier === undefined)
    return dateItem(problem('ambiguous_relative_date'), i, at);
  return dateItem(fromDay(ctx, delta), i, at);
}

/** A date starting at token `i`. */
export function matchDate(s: Scanner, i: number, ctx: ScanContext): Item | undefined {
  const w = s.word(i);
  if (w === 'today' || w === 'tonight') return dateItem(fromDay(ctx, 0), i, i);
  if (w === 'tomorrow' || w === 'tmrw' || w === 'tmr' || w === '2moro')
    return dateItem(fromDay(ctx, 1), i, i);
  if (s.phrase(i, 'day after tomorrow')) return dateItem(fromDay(ctx, 2), i, i + 2);
  const ahead = s.number(i + 1);
  const unit = s.word(i + 2);
  if (
    w === 'in' &&
    ahead !== undefined &&
    Number.isInteger(ahead) &&
    (unit === 'days' || unit === 'weeks')
  ) {
    return dateItem(fromDay(ctx, unit === 'days' ? ahead : ahead * 7), i, i + 2);
  }
  const end = endOfMonth(s, i, ctx);
  if (end !== undefined) return end;
  const nth = dayOfMonth(s, i, ctx);
  if (nth !== undefined) return nth;
  const holiday = matchHoliday(s, i, ctx);
  if (holiday !== undefined) return holiday;
  const weekday = matchWeekday(s, i, ctx);
  if (weekday !== undefined) return weekday;
  const dated = matchMonthDay(s, i, ctx);
  return dated === undefined ? undefined : dateItem(dated.attr, i, dated.last);
}
