/**
 * @module
 * Snapping an instant forward to the next occurrence of a local wall time ("one day later, at
 * 9am"), under the DST policy.
 */
import type { Result } from '../errors.js';
import { DAY_MS, parseLocalTime, wallTime } from './civil-date.js';
import { nonexistentTimeIssue, resolveLocalTime, type DstPolicy } from './dst-policy.js';
import { wallTimeAt } from './zone-offset.js';

/**
 * The first instant at or after `at` whose local time in `zone` is `time` (`HH:MM`), as the
 * policy resolves it. A day whose `time` the policy skips moves on to the next day; with
 * `dstGap: "error"` a nonexistent time is a `nonexistent_local_time` issue at `path`.
 * @example
 * snapToLocalTime(Date.UTC(2026, 11, 1, 15), '09:00', 'America/New_York', DEFAULT_DST_POLICY, []);
 * // { success: true, data: Date.UTC(2026, 11, 2, 14) } — 09:00 EST the next morning
 */
export function snapToLocalTime(
  at: number,
  time: string,
  zone: string,
  policy: DstPolicy,
  path: readonly (string | number)[],
): Result<number> {
  const today = Math.floor(wallTimeAt(zone, at) / DAY_MS);
  const minutes = parseLocalTime(time);
  let day = today;
  for (;;) {
    const wall = wallTime(day, minutes);
    const resolved = resolveLocalTime(zone, wall, policy);
    if (resolved.status === 'nonexistent') {
      return { success: false, error: [nonexistentTimeIssue(zone, wall, resolved.gapMs, path)] };
    }
    // A wall time exists at least every other day, so this loop ends within three turns.
    if (resolved.status !== 'skipped' && resolved.at >= at)
      return { success: true, data: resolved.at };
    day++;
  }
}
