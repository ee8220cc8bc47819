/**
 * @module
 * ISO-8601 durations (`P1D`, `PT2H`, `P1Y2M3W4DT5H6M7S`) added to an instant in a zone: the
 * date part moves the local calendar (one day later at the same wall time, across DST), the
 * time part is elapsed time.
 */
import { DAY_MS, MINUTE_MS, civilFromDays, daysFromCivil, daysInMonth } from './civil-date.js';
import { resolveLocalTime, type DstPolicy } from './dst-policy.js';
import { wallTimeAt } from './zone-offset.js';

/** The fields of an ISO-8601 duration. */
export interface IsoDurationParts {
  readonly years: number;
  readonly months: number;
  readonly weeks: number;
  readonly days: number;
  readonly hours: number;
  readonly minutes: number;
  readonly seconds: number;
}

const PATTERN =
  /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/**
 * Parses an ISO-8601 duration, or returns undefined.
 * @example
 * parseIsoDuration('P1DT2H'); // { years: 0, months: 0, weeks: 0, days: 1, hours: 2, minutes: 0, seconds: 0 }
 */
export function parseIsoDuration(text: string): IsoDurationParts | undefined {
  const m = PATTERN.exec(text);
  if (m === null) return undefined;
  const n = (i: number): number => Number(m[i] ?? 0);
  return {
    years: n(1),
    months: n(2),
    weeks: n(3),
    days: n(4),
    hours: n(5),
    minutes: n(6),
    seconds: n(7),
  };
}

/**
 * A duration as elapsed milliseconds, for windows such as frequency-cap periods: weeks and days
 * count 24 hours, months 30 days and years 365 days.
 */
export function durationToMs(parts: IsoDurationParts): number {
  const days = parts.years * 365 + parts.months * 30 + parts.weeks * 7 + parts.days;
  return (days * 24 + parts.hours) * 3_600_000 + parts.minutes * MINUTE_MS + parts.seconds * 1000;
}

/**
 * Adds `parts` to the instant `at`: years, months, weeks and days on the local calendar of
 * `zone` (day clamped to the month's end; a wall time that lands in a DST gap moves to the end
 * of the gap, a repeated one follows `overlap`), then hours, minutes and seconds as elapsed time.
 */
export function addIsoDuration(
  at: number,
  parts: IsoDurationParts,
  zone: string,
  overlap: DstPolicy['overlap'],
): number {
  let result = at;
  if (parts.years !== 0 || parts.months !== 0 || parts.weeks !== 0 || parts.days !== 0) {
    const wall = wallTimeAt(zone, at);
    const days = Math.floor(wall / DAY_MS);
    const timeOfDay = wall - days * DAY_MS;
    const date = civilFromDays(days);
    const monthIndex = date.year * 12 + date.month - 1 + parts.years * 12 + parts.months;
    const year = Math.floor(monthIndex / 12);
    const month = (monthIndex % 12) + 1;
    const day = Math.min(date.day, daysInMonth(year, month));
    const target =
      (daysFromCivil(year, month, day) + parts.weeks * 7 + parts.days) * DAY_MS + timeOfDay;
    const resolved = resolveLocalTime(zone, target, { gap: 'shift_forward', overlap });
    // shift_forward always yields an instant; the fallback keeps the type total.
    result =
      ('at' in resolved ? resolved.at : target - (wall - at)) + (at - Math.floor(at / 1000) * 1000);
  }
  return result + parts.hours * 3_600_000 + parts.minutes * MINUTE_MS + parts.seconds * 1000;
}
