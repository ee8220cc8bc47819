/**
 * @module
 * Recipient-local send windows: the law's hours for a channel minus the campaign's quiet
 * hours, per weekday, as minute intervals. Answers "may we send at this instant in this zone"
 * and "when is the next instant we may". Pure: instants are epoch milliseconds.
 */
import { DateTime } from 'luxon';
import type { LocalWindow, SendHours } from './regional-policy.js';

/** Allowed `[startMinute, endMinute)` intervals of a day, sorted. */
export type MinuteIntervals = readonly (readonly [number, number])[];

/** A compiled window: allowed intervals for ISO weekdays 1–7 (index 0 unused). */
export interface SendWindow {
  readonly days: readonly MinuteIntervals[];
}

/** The local weekday and minute of the day of an instant in a zone. */
export interface LocalClock {
  readonly weekday: number;
  readonly minute: number;
}

const FULL_DAY: MinuteIntervals = [[0, 1440]];

function minuteOf(hhmm: string): number {
  const [h, m] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

function intervalsOf(window: LocalWindow): MinuteIntervals {
  const start = minuteOf(window.start);
  const end = minuteOf(window.end);
  if (start < end) return [[start, end]];
  if (start > end) return [...(end > 0 ? [[0, end] as const] : []), [start, 1440] as const];
  return [];
}

function subtract(allowed: MinuteIntervals, blocked: MinuteIntervals): MinuteIntervals {
  let out: (readonly [number, number])[] = [...allowed];
  for (const [bs, be] of blocked) {
    out = out.flatMap(([s, e]): (readonly [number, number])[] => {
      if (be <= s || bs >= e) return [[s, e]];
      const parts: (readonly [number, number])[] = [];
      if (bs > s) parts.push([s, bs]);
      if (be < e) parts.push([be, e]);
      return parts;
    });
  }
  return out.sort((a, b) => a[0] - b[0]);
}

/**
 * Compiles the law's hours (absent: any time) and optional quiet hours into a window.
 * @example
 * const w = compileSendWindow({ daily: { start: '08:00', end: '21:00' } }, { start: '20:00', end: '09:00' });
 * w.days[1]; // [[540, 1200]] — 09:00 to 20:00 on Mondays
 */
export function compileSendWindow(hours?: SendHours, quietHours?: LocalWindow): SendWindow {
  const quiet = quietHours === undefined ? [] : intervalsOf(quietHours);
  const days: MinuteIntervals[] = [[]];
  for (let weekday = 1; weekday <= 7; weekday++) {
    let allowed = FULL_DAY;
    if (hours !== undefined) {
      const override = hours.byWeekday?.[weekday as 1 | 2 | 3 | 4 | 5 | 6 | 7];
      allowed = override === null ? [] : intervalsOf(override ?? hours.daily);
    }
    days.push(subtract(allowed, quiet));
  }
  return { days };
}

/** The local clock of `at` in `zone`, or `undefined` when the zone is not a valid IANA zone. */
export function localClock(zone: string, at: number): LocalClock | undefined {
  const local = DateTime.fromMillis(at, { zone });
  if (!local.isValid) return undefined;
  return { weekday: local.weekday, minute: local.hour * 60 + local.minute };
}

/** True when a local clock reading falls inside the window. */
export function isOpenAt(window: SendWindow, clock: LocalClock): boolean {
  const day = window.days[clock.weekday] ?? [];
  for (const [start, end] of day) if (clock.minute >= start && clock.minute < end) return true;
  return false;
}

/**
 * The first instant at or after `at` when the window is open in `zone`; `undefined` when the
 * zone is invalid or the window never opens.
 * @example
 * nextOpenInstant(compileSendWindow(DEFAULT_SMS_HOURS), 'America/New_York', Date.parse('2026-11-25T03:00:00Z'));
 * // 2026-11-25T13:00:00Z, 08:00 in New York
 */
export function nextOpenInstant(window: SendWindow, zone: string, at: number): number | undefined {
  const clock = localClock(zone, at);
  if (clock === undefined) return undefined;
  if (isOpenAt(window, clock)) return at;
  const today = DateTime.fromMillis(at, { zone }).startOf('day');
  for (let offset = 0; offset <= 8; offset++) {
    const day = today.plus({ days: offset });
    for (const [start] of window.days[day.weekday] ?? []) {
      const candidate = day
        .set({ hour: Math.floor(start / 60), minute: start % 60, second: 0, millisecond: 0 })
        .toMillis();
      // A DST gap can move a candidate outside the window; checking keeps the answer lawful.
      if (candidate > at && isOpenAt(window, localClock(zone, candidate)!)) return candidate;
    }
  }
  return undefined;
}
