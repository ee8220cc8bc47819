/**
 * @module
 * UTC offsets of IANA zones, read from the runtime's `Intl` time-zone data. One formatter per
 * zone is cached; nothing here reads the wall clock.
 */
import { DAY_MS, daysFromCivil, formatWallTime, MINUTE_MS } from './civil-date.js';

const formatters = new Map<string, Intl.DateTimeFormat>();
const validity = new Map<string, boolean>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/**
 * True when this runtime's `Intl` knows `zone`; cached, so checking a million recipients costs
 * one formatter per distinct zone.
 */
export function isKnownZone(zone: string): boolean {
  let known = validity.get(zone);
  if (known === undefined) {
    try {
      formatterFor(zone);
      known = true;
    } catch {
      known = false;
    }
    validity.set(zone, known);
  }
  return known;
}

/**
 * The wall time shown in `zone` at the instant `utc`, in milliseconds "as if UTC" (whole
 * seconds). Subtracting `utc` gives the zone's offset.
 * @example
 * wallTimeAt('Asia/Kathmandu', Date.UTC(2026, 0, 1)) - Date.UTC(2026, 0, 1); // 20_700_000 (+05:45)
 */
export function wallTimeAt(zone: string, utc: number): number {
  const formatter = formatterFor(zone);
  // format() and a regex are about four times faster than formatToParts(); the parts are the
  // fallback should a runtime's ICU lay the en-US date out differently.
  const m = EN_US.exec(formatter.format(utc));
  const f =
    m === null
      ? fromParts(formatter.formatToParts(utc))
      : { year: +m[3]!, month: +m[1]!, day: +m[2]!, hour: +m[4]!, minute: +m[5]!, second: +m[6]! };
  const days = daysFromCivil(f.year, f.month, f.day);
  return days * DAY_MS + f.hour * 3_600_000 + f.minute * MINUTE_MS + f.second * 1000;
}

const EN_US = /^(\d{1,2})\/(\d{1,2})\/(\d{4}), (\d{2}):(\d{2}):(\d{2})$/;

function fromParts(parts: readonly Intl.DateTimeFormatPart[]): Record<FieldName, number> {
  const f = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
  for (const part of parts) {
    if (part.type in f) f[part.type as FieldName] = Number(part.value);
  }
  return f;
}

type FieldName = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second';

/** Offset of `zone` from UTC at the instant `utc`, in milliseconds (east positive). */
export function zoneOffsetAt(zone: string, utc: number): number {
  const whole = Math.floor(utc / 1000) * 1000;
  return wallTimeAt(zone, whole) - whole;
}

/**
 * `YYYY-MM-DD HH:MM <zone>`: how `utc` reads on a clock in `zone`.
 * @example
 * formatInstantIn(Date.UTC(2026, 11, 1, 14), 'America/New_York'); // '2026-12-01 09:00 America/New_York'
 */
export function formatInstantIn(utc: number, zone: string): string {
  return `${formatWallTime(wallTimeAt(zone, utc))} ${zone}`;
}
