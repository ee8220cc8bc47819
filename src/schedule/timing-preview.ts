/**
 * @module
 * Previews of a timing rule: the next N instants it fires at, with their local labels, so a
 * user can check "every other Tuesday at 9" before launching anything.
 */
import type { Result } from '../errors.js';
import type { Timing } from '../spec/timing-schema.js';
import { DEFAULT_DST_POLICY, type DstPolicy } from './dst-policy.js';
import { relativeInstant } from './relative-instant.js';
import { formatInstantIn } from './zone-offset.js';
import { planZoneOccurrences } from './zone-occurrences.js';

/** One instant a rule fires at. */
export interface RunTime {
  /** Epoch ms. */
  readonly at: number;
  /** Index in the rule's sequence (0 for one-off timings). */
  readonly occurrence: number;
  /** Local time and zone, e.g. `2026-12-01 09:00 America/New_York`. */
  readonly label: string;
}

/** Options of {@link previewRunTimes}. */
export interface PreviewOptions {
  /** Epoch ms; only run times at or after it are listed, and `immediate` fires at it. */
  readonly now: number;
  /** How many run times to list. @default 10 */
  readonly count?: number;
  /** The campaign's default zone. @default "UTC" */
  readonly defaultZone?: string;
  /** Zone to preview recipient-local rules in. @default the rule's fallback zone, else `defaultZone` */
  readonly zone?: string;
  /** @default DEFAULT_DST_POLICY */
  readonly policy?: DstPolicy;
  /** Completion of the anchor step, for relative timings. */
  readonly anchorDoneAt?: number;
}

/**
 * The next `count` run times of `timing` at or after `now`.
 * @example
 * previewRunTimes({ kind: 'recurring', recurrence: 'monthly:last-FR', start: '2026-01-01',
 *   time: '09:00', zone: 'Europe/London', recipientLocal: false, count: 12 }, { now, count: 3 });
 * // 2026-01-30 09:00, 2026-02-27 09:00, 2026-03-27 09:00 Europe/London (when now is before them)
 */
export function previewRunTimes(timing: Timing, options: PreviewOptions): Result<RunTime[]> {
  const count = options.count ?? 10;
  const defaultZone = options.defaultZone ?? 'UTC';
  const policy = options.policy ?? DEFAULT_DST_POLICY;
  const path = ['timing'];
  switch (timing.kind) {
    case 'immediate':
      return one(options.now, defaultZone);
    case 'relative': {
      if (options.anchorDoneAt === undefined) {
        return {
          success: false,
          error: [
            {
              code: 'anchor_not_done',
              path: [...path, 'after'],
              message: `a preview of a step after "${timing.after}" needs that step's completion time`,
              suggestions: ['pass anchorDoneAt'],
            },
          ],
        };
      }
      const zone = timing.zone ?? defaultZone;
      const at = relativeInstant(timing, options.anchorDoneAt, zone, policy, path);
      return at.success ? one(at.data, zone) : at;
    }
    case 'absolute':
    case 'recipient_local':
    case 'recurring': {
      const zone =
        timing.kind === 'absolute'
          ? timing.zone
          : (options.zone ??
            (timing.kind === 'recipient_local' ? timing.fallbackZone : timing.zone) ??
            defaultZone);
      const planned = planZoneOccurrences(timing, zone, policy, path);
      if (!planned.success) return planned;
      const data = planned.data
        .filter((o) => o.at >= options.now)
        .slice(0, count)
        .map((o) => ({ at: o.at, occurrence: o.occurrence, label: formatInstantIn(o.at, zone) }));
      return { success: true, data };
    }
  }
}

function one(at: number, zone: string): Result<RunTime[]> {
  return { success: true, data: [{ at, occurrence: 0, label: formatInstantIn(at, zone) }] };
}
