/**
 * @module
 * The UTC instants a wall-clock timing rule (absolute, recipient-local or recurring) fires at
 * in one zone, with each occurrence's index and how DST treated it. The planner calls this
 * once per distinct zone, never once per recipient.
 */
import type { Issue, Result } from '../errors.js';
import type {
  AbsoluteTiming,
  RecipientLocalTiming,
  RecurringTiming,
} from '../spec/timing-schema.js';
import type { z } from 'zod';
import { DAY_MS, parseLocalDate, parseLocalTime, wallTime } from './civil-date.js';
import {
  localTimeResolver,
  nonexistentTimeIssue,
  resolveLocalTime,
  type DstPolicy,
  type LocalResolution,
} from './dst-policy.js';
import { parseRecurrence, recurrenceDates } from './recurrence-rule.js';

/** Timings that name a wall-clock time. */
export type WallClockTiming =
  | z.infer<typeof AbsoluteTiming>
  | z.infer<typeof RecipientLocalTiming>
  | z.infer<typeof RecurringTiming>;

/** One firing of a rule in one zone. */
export interface ZoneOccurrence {
  /** Epoch ms. */
  readonly at: number;
  /** Index in the rule's sequence, counting skipped occurrences (as RFC 5545 counts EXDATEs). */
  readonly occurrence: number;
  /** Whether the wall time existed once, twice (overlap) or was shifted out of a gap. */
  readonly status: 'exact' | 'overlap' | 'shifted';
}

/** Most occurrences one rule may produce in one zone. */
export const MAX_OCCURRENCES = 10_000;

/**
 * Plans `timing` in `zone` under `policy`. Issues carry `path` (the timing's path in the spec):
 * `nonexistent_local_time` when the policy is `error` and a time falls in a DST gap,
 * `invalid_recurrence` and `too_many_occurrences` for recurrences.
 * @example
 * planZoneOccurrences({ kind: 'absolute', date: '2026-12-01', time: '09:00', zone: 'Europe/London' },
 *   'Europe/London', DEFAULT_DST_POLICY, []);
 * // { success: true, data: [{ at: Date.UTC(2026, 11, 1, 9), occurrence: 0, status: 'exact' }] }
 */
export function planZoneOccurrences(
  timing: WallClockTiming,
  zone: string,
  policy: DstPolicy,
  path: readonly (string | number)[],
): Result<ZoneOccurrence[]> {
  const minutes = parseLocalTime(timing.time);
  if (timing.kind !== 'recurring') {
    const wall = wallTime(parseLocalDate(timing.date), minutes);
    return collect([[0, wall, resolveLocalTime(zone, wall, policy)]], zone, path);
  }
  const rule = parseRecurrence(timing.recurrence);
  if (rule === undefined) {
    return fail({
      code: 'invalid_recurrence',
      path: [...path, 'recurrence'],
      message: `"${timing.recurrence}" is not a recurrence`,
      suggestions: ['daily', 'weekdays', 'weekly:MO,TH', 'monthly:last-FR', 'every:PT2H'],
    });
  }
  const start = parseLocalDate(timing.start);
  const until = timing.until === undefined ? undefined : parseLocalDate(timing.until);
  const resolved: [number, number, LocalResolution][] = [];
  if (rule.kind === 'interval') {
    const wall = wallTime(start, minutes);
    const anchor = resolveLocalTime(zone, wall, policy);
    if (anchor.status === 'nonexistent') return collect([[0, wall, anchor]], zone, path);
    // A skipped first occurrence still anchors the series at the end of the gap.
    const shifted = resolveLocalTime(zone, wall, { ...policy, gap: 'shift_forward' });
    const origin = 'at' in shifted ? shifted.at : wall;
    const end = until === undefined ? Infinity : endOfLocalDay(zone, until);
    const count = timing.count ?? Infinity;
    for (let i = 0; i < count && origin + i * rule.everyMs < end; i++) {
      if (i >= MAX_OCCURRENCES) return tooMany(path);
      if (i === 0 && anchor.status === 'skipped') continue;
      resolved.push([i, 0, { status: 'exact', at: origin + i * rule.everyMs }]);
    }
    return collect(resolved, zone, path);
  }
  let index = 0;
  const bounds = {
    start,
    limit: MAX_OCCURRENCES + 1,
    ...(until === undefined ? {} : { until }),
    ...(timing.count === undefined ? {} : { count: timing.count }),
  };
  const resolve = localTimeResolver(zone, policy);
  for (const day of recurrenceDates(rule, bounds)) {
    if (index >= MAX_OCCURRENCES) return tooMany(path);
    const wall = wallTime(day, minutes);
    resolved.push([index++, wall, resolve(wall)]);
  }
  return collect(resolved, zone, path);
}

/** The first instant of the local day after `day` in `zone`. */
function endOfLocalDay(zone: string, day: number): number {
  const next = resolveLocalTime(zone, (day + 1) * DAY_MS, {
    gap: 'shift_forward',
    overlap: 'first',
  });
  return 'at' in next ? next.at : (day + 1) * DAY_MS;
}

function collect(
  resolved: readonly (readonly [number, number, LocalResolution])[],
  zone: string,
  path: readonly (string | number)[],
): Result<ZoneOccurrence[]> {
  const data: ZoneOccurrence[] = [];
  const issues: Issue[] = [];
  for (const [occurrence, wall, resolution] of resolved) {
    switch (resolution.status) {
      case 'skipped':
        break;
      case 'nonexistent':
        issues.push(nonexistentTimeIssue(zone, wall, resolution.gapMs, path));
        break;
      case 'exact':
      case 'overlap':
      case 'shifted':
        data.push({ at: resolution.at, occurrence, status: resolution.status });
        break;
    }
  }
  return issues.length > 0 ? { success: false, error: issues } : { success: true, data };
}

function tooMany(path: readonly (string | number)[]): Result<ZoneOccurrence[]> {
  return fail({
    code: 'too_many_occurrences',
    path,
    message: `the recurrence fires more than ${MAX_OCCURRENCES} times; set an earlier "until" or a "count"`,
  });
}

function fail(issue: Issue): Result<ZoneOccurrence[]> {
  return { success: false, error: [issue] };
}
