/**
 * @module
 * Rolling-window counting, shared by the sandbox's quota enforcement and by tests and
 * benchmarks that check "never more than the quota in any rolling window".
 */

/**
 * Most events inside any half-open window `(t - windowMs, t]`, for sorted or unsorted times.
 * @example
 * maxInRollingWindow([0, 500, 1000], 1000); // 2
 */
export function maxInRollingWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[start]! <= sorted[end]! - windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

/**
 * Events that pushed a rolling window above `limit`: each event whose window `(t - windowMs,
 * t]` holds more than `limit` events is one excess.
 */
export function excessOverQuota(times: readonly number[], limit: number, windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let excess = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[start]! <= sorted[end]! - windowMs) start++;
    if (end - start + 1 > limit) excess++;
  }
  return excess;
}

/** A sliding log of accepted events per lane. */
export class SlidingWindow {
  readonly #log = new Map<string, number[]>();

  /** Events of `key` in `(now - windowMs, now]`, oldest first. */
  inWindow(key: string, now: number, windowMs: number): number[] {
    const kept = (this.#log.get(key) ?? []).filter((t) => t > now - windowMs);
    this.#log.set(key, kept);
    return kept;
  }

  /** Records an accepted event. */
  add(key: string, now: number): void {
    const log = this.#log.get(key) ?? [];
    log.push(now);
    this.#log.set(key, log);
  }
}
