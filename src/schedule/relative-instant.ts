/**
 * @module
 * The instant of a relative step: its anchor's completion plus an ISO-8601 offset, snapped
 * forward to a local time when the timing names one ("one day after the post, at 9am").
 */
import type { z } from 'zod';
import type { Result } from '../errors.js';
import type { RelativeTiming } from '../spec/timing-schema.js';
import type { DstPolicy } from './dst-policy.js';
import { addIsoDuration, parseIsoDuration } from './iso-duration.js';
import { snapToLocalTime } from './snap-to-local-time.js';

/**
 * `anchorDoneAt + timing.offset` (calendar parts in `zone`), snapped forward to `timing.time`
 * in `zone` when given. Issues: `invalid_duration`, `nonexistent_local_time`.
 * @example
 * relativeInstant({ kind: 'relative', after: 'post', offset: 'P1D', time: '09:00' },
 *   Date.UTC(2026, 11, 1, 15), 'America/New_York', DEFAULT_DST_POLICY, ['steps', 1, 'timing']);
 * // { success: true, data: Date.UTC(2026, 11, 3, 14) } — Dec 2 10:00 snaps to Dec 3 09:00
 */
export function relativeInstant(
  timing: z.infer<typeof RelativeTiming>,
  anchorDoneAt: number,
  zone: string,
  policy: DstPolicy,
  path: readonly (string | number)[],
): Result<number> {
  const offset = parseIsoDuration(timing.offset);
  if (offset === undefined) {
    return {
      success: false,
      error: [
        {
          code: 'invalid_duration',
          path: [...path, 'offset'],
          message: `"${timing.offset}" is not an ISO-8601 duration`,
          suggestions: ['PT1H', 'P1D'],
        },
      ],
    };
  }
  const due = addIsoDuration(anchorDoneAt, offset, zone, policy.overlap);
  if (timing.time === undefined) return { success: true, data: due };
  return snapToLocalTime(due, timing.time, zone, policy, path);
}
