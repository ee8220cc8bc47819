/**
 * @module
 * Turns a local wall time in a zone into one UTC instant under a declared DST policy. Unlike
 * luxon, which silently moves a time in a spring-forward gap by the gap's length and picks an
 * occurrence of a repeated time depending on how it is asked, every outcome here is explicit:
 * the caller learns whether the time was exact, shifted out of a gap, skipped, or chosen from
 * two occurrences.
 */
import type { Issue } from '../errors.js';
import type { CompliancePolicy } from '../spec/campaign-schema.js';
import { DAY_MS, formatWallTime } from './civil-date.js';
import { zoneOffsetAt } from './zone-offset.js';

const NEARBY_MS = 14 * 3_600_000;

/** What to do with local times that do not exist or happen twice. */
export interface DstPolicy {
  /**
   * A local time inside a spring-forward gap: `shift_forward` moves it to the first valid
   * instant after the gap (the transition itself, e.g. 03:00 for 02:30 in New York on
   * 2026-03-08), `skip` drops it, `error` reports it.
   * @default "shift_forward"
   */
  readonly gap: CompliancePolicy['dstGap'];
  /**
   * A local time that happens twice (fall back) runs once: at its `first` or `second` occurrence.
   * @default "first"
   */
  readonly overlap: CompliancePolicy['dstOverlap'];
}

/** The default policy: shift out of gaps, take the first of two occurrences. */
export const DEFAULT_DST_POLICY: DstPolicy = { gap: 'shift_forward', overlap: 'first' };

/** How a local time became an instant. */
export type LocalResolution =
  /** The local time exists once. */
  | { readonly status: 'exact'; readonly at: number }
  /** The local time happens twice; `at` is the occurrence the policy chose, `other` the one not used. */
  | { readonly status: 'overlap'; readonly at: number; readonly other: number }
  /** The local time falls in a gap and moved to the end of the gap, `gapMs` long. */
  | { readonly status: 'shifted'; readonly at: number; readonly gapMs: number }
  /** The local time falls in a gap and the policy skips it. */
  | { readonly status: 'skipped'; readonly gapMs: number }
  /** The local time falls in a gap and the policy makes that an error. */
  | { readonly status: 'nonexistent'; readonly gapMs: number };

/**
 * Resolves the wall time `wall` (milliseconds "as if UTC", see `civil-date.ts`) in `zone`.
 * @example
 * const wall = wallTime(parseLocalDate('2026-03-08'), parseLocalTime('02:30'));
 * resolveLocalTime('America/New_York', wall, DEFAULT_DST_POLICY);
 * // { status: 'shifted', at: Date.UTC(2026, 2, 8, 7, 0), gapMs: 3_600_000 } — 03:00 EDT
 */
export function resolveLocalTime(
  zone: string,
  wall: number,
  policy: DstPolicy = DEFAULT_DST_POLICY,
): LocalResolution {
  const here = zoneOffsetAt(zone, wall);
  // Fast path: one offset from 14 hours before the candidate to 14 hours after means another
  // instant showing `wall` would need an offset over 14 hours away, which only a date-line
  // switch produces (none since 2011); zones never change offset twice within 28 hours.
  const candidate = wall - here;
  if (
    zoneOffsetAt(zone, candidate - NEARBY_MS) === here &&
    zoneOffsetAt(zone, candidate + NEARBY_MS) === here
  ) {
    return { status: 'exact', at: candidate };
  }
  const offsets = new Set<number>([here]);
  offsets.add(zoneOffsetAt(zone, candidate));
  offsets.add(zoneOffsetAt(zone, wall - DAY_MS));
  offsets.add(zoneOffsetAt(zone, wall + DAY_MS));
  const instants: number[] = [];
  for (const offset of offsets) {
    const at = wall - offset;
    if (zoneOffsetAt(zone, at) === offset && !instants.includes(at)) instants.push(at);
  }
  instants.sort((a, b) => a - b);
  const first = instants[0];
  const last = instants[instants.length - 1];
  if (first !== undefined && last !== undefined) {
    if (first === last) return { status: 'exact', at: first };
    return policy.overlap === 'first'
      ? { status: 'overlap', at: first, other: last }
      : { status: 'overlap', at: last, other: first };
  }
  const sorted = [...offsets].sort((a, b) => a - b);
  const lowest = sorted[0]!;
  const highest = sorted[sorted.length - 1]!;
  const gapMs = highest - lowest;
  if (policy.gap === 'skip') return { status: 'skipped', gapMs };
  if (policy.gap === 'error') return { status: 'nonexistent', gapMs };
  return { status: 'shifted', at: transitionBetween(zone, wall - highest, wall - lowest), gapMs };
}

/** The first instant in `(before, after]` whose offset equals `after`'s, to the second. */
function transitionBetween(zone: string, before: number, after: number): number {
  const target = zoneOffsetAt(zone, after);
  let lo = before;
  let hi = after;
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2000) * 1000;
    if (mid <= lo) break;
    if (zoneOffsetAt(zone, mid) === target) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The `nonexistent_local_time` issue for a wall time in a gap the policy refuses to move. */
export function nonexistentTimeIssue(
  zone: string,
  wall: number,
  gapMs: number,
  path: readonly (string | number)[],
): Issue {
  return {
    code: 'nonexistent_local_time',
    path,
    message: `${formatWallTime(wall)} does not exist in ${zone}: clocks skip ${gapMs / 60_000} minutes for daylight saving time`,
    suggestions: [
      'set compliance.dstGap to "shift_forward" or "skip"',
      'choose a time outside the night-time change',
    ],
  };
}

/**
 * A resolver for a run of wall times in one zone, in ascending order (a recurrence's dates).
 * It remembers a span of instants known to share one offset and extends it with one look-up per
 * daily step, where `resolveLocalTime` needs three; near a change it falls back to
 * `resolveLocalTime`. Results are identical.
 * @example
 * const resolve = localTimeResolver('Europe/London', DEFAULT_DST_POLICY);
 * const days = [resolve(wallTime(d, 540)), resolve(wallTime(d + 1, 540))];
 */
export function localTimeResolver(
  zone: string,
  policy: DstPolicy = DEFAULT_DST_POLICY,
): (wall: number) => LocalResolution {
  let offset = 0;
  let stableFrom = Infinity;
  let stableUntil = -Infinity;
  return (wall) => {
    const candidate = wall - offset;
    const from = candidate - NEARBY_MS;
    const until = candidate + NEARBY_MS;
    // Zones never change offset twice within 28 hours, so equal offsets at two instants at most
    // that far apart mean no change between them.
    if (from >= stableFrom && until - stableUntil <= 2 * NEARBY_MS) {
      if (until <= stableUntil || zoneOffsetAt(zone, until) === offset) {
        stableUntil = Math.max(stableUntil, until);
        return { status: 'exact', at: candidate };
      }
    }
    const resolved = resolveLocalTime(zone, wall, policy);
    if (resolved.status === 'exact') {
      offset = wall - resolved.at;
      stableFrom = resolved.at - NEARBY_MS;
      stableUntil = resolved.at + NEARBY_MS;
    } else {
      stableFrom = Infinity;
      stableUntil = -Infinity;
    }
    return resolved;
  };
}
