/**
 * @module
 * Finds a zone's UTC-offset transitions by sampling, independently of the planner's own
 * resolution logic: the oracle of the DST property tests.
 */
import { zoneOffsetAt } from '../../src/schedule/zone-offset.js';

/** One change of a zone's UTC offset. */
export interface Transition {
  /** First instant (epoch ms) with the new offset. */
  readonly at: number;
  readonly before: number;
  readonly after: number;
}

const DAY = 86_400_000;

/** Transitions of `zone` in `[from, to)`, found by daily sampling and bisection to the second. */
export function transitionsIn(zone: string, from: number, to: number): Transition[] {
  const found: Transition[] = [];
  let previous = zoneOffsetAt(zone, from);
  for (let t = from + DAY; t < to + DAY; t += DAY) {
    const offset = zoneOffsetAt(zone, t);
    if (offset === previous) continue;
    let lo = t - DAY;
    let hi = t;
    while (hi - lo > 1000) {
      const mid = Math.floor((lo + hi) / 2000) * 1000;
      if (zoneOffsetAt(zone, mid) === previous) lo = mid;
      else hi = mid;
    }
    found.push({ at: hi, before: previous, after: zoneOffsetAt(zone, hi) });
    previous = offset;
  }
  return found.filter((x) => x.at >= from && x.at < to);
}

/** Every instant whose wall time in `zone` is `wall`, trying each quarter-hour offset. */
export function instantsShowing(zone: string, wall: number): number[] {
  const found: number[] = [];
  for (let quarter = -14 * 4; quarter <= 15 * 4; quarter++) {
    const at = wall - quarter * 900_000;
    if (zoneOffsetAt(zone, at) + at === wall) found.push(at);
  }
  return found.sort((a, b) => a - b);
}
