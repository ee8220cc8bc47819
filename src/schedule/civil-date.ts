/**
 * @module
 * Calendar arithmetic without time zones: a local date is a count of days since 1970-01-01
 * and a local wall time is that count times a day plus the minutes into the day, both in
 * milliseconds "as if UTC". Zone-free integers keep the planner free of `Date` objects.
 */

/** Milliseconds in a minute. */
export const MINUTE_MS = 60_000;
/** Milliseconds in an hour. */
export const HOUR_MS = 3_600_000;
/** Milliseconds in a (civil, 24-hour) day. */
export const DAY_MS = 86_400_000;

/** A calendar date split into fields. */
export interface CivilDate {
  readonly year: number;
  /** 1–12. */
  readonly month: number;
  /** 1–31. */
  readonly day: number;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The calendar date `days` days after 1970-01-01. */
export function civilFromDays(days: number): CivilDate {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** Day of the week of a day count: 0 = Monday … 6 = Sunday (ISO order, RFC 5545 WKST=MO). */
export function weekdayOfDays(days: number): number {
  return (((days + 3) % 7) + 7) % 7;
}

/** Number of days in `month` (1–12) of `year`. */
export function daysInMonth(year: number, month: number): number {
  return (
    daysFromCivil(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) -
    daysFromCivil(year, month, 1)
  );
}

/** Day count of a `YYYY-MM-DD` string (already validated by the spec schema). */
export function parseLocalDate(text: string): number {
  return daysFromCivil(
    Number(text.slice(0, 4)),
    Number(text.slice(5, 7)),
    Number(text.slice(8, 10)),
  );
}

/** Minutes after midnight of an `HH:MM` string (already validated by the spec schema). */
export function parseLocalTime(text: string): number {
  return Number(text.slice(0, 2)) * 60 + Number(text.slice(3, 5));
}

/** A local wall time "as if UTC": `days` days plus `minutes` minutes, in milliseconds. */
export function wallTime(days: number, minutes: number): number {
  return days * DAY_MS + minutes * MINUTE_MS;
}

/** `YYYY-MM-DD HH:MM` of a wall time "as if UTC". */
export function formatWallTime(wall: number): string {
  const days = Math.floor(wall / DAY_MS);
  const { year, month, day } = civilFromDays(days);
  const minutes = Math.floor((wall - days * DAY_MS) / MINUTE_MS);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)} ${pad(Math.floor(minutes / 60), 2)}:${pad(minutes % 60, 2)}`;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
