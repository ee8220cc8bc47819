/**
 * @module
 * Client-side quota enforcement: one `limiter` `TokenBucket` per platform+account key, run on
 * the injected `Clock`, with server-driven pauses (Retry-After, X-RateLimit-*) in front of it.
 *
 * A bucket of size `b` refilled at `(limit + 1 - b) / (windowMs + 1)` holds fewer than `b +
 * (limit + 1 - b) = limit + 1` tokens' worth over any rolling window `(t - windowMs, t]`, so
 * such a window never lets more than `limit` requests through, while the sustained rate stays
 * within `(b - 1) / limit` of the quota (b is 1% of it): 7 per second sustains 6.99, not 6.
 */
import { TokenBucket } from 'limiter';
import type { Clock } from '../schedule/clock.js';

/** A documented quota: at most `limit` requests in any rolling window of `windowMs`. */
export interface RateQuota {
  readonly limit: number;
  readonly windowMs: number;
}

/** A `TokenBucket` whose drip reads the injected clock instead of `performance.now()`. */
class ClockedTokenBucket extends TokenBucket {
  readonly #clock: Clock;

  constructor(quota: RateQuota, clock: Clock) {
    const burst = Math.max(1, Math.floor(quota.limit / 100));
    super({
      bucketSize: burst,
      tokensPerInterval: quota.limit + 1 - burst,
      interval: quota.windowMs + 1,
    });
    this.#clock = clock;
    this.content = burst;
    this.lastDrip = clock.now();
  }

  override drip(): boolean {
    const now = this.#clock.now();
    const before = this.content;
    this.content = Math.min(
      this.bucketSize,
      this.content + (Math.max(now - this.lastDrip, 0) * this.tokensPerInterval) / this.interval,
    );
    this.lastDrip = now;
    return Math.floor(this.content) > Math.floor(before);
  }
}

interface Lane {
  readonly bucket: ClockedTokenBucket;
  tail: Promise<void>;
}

/**
 * Hands out permission to send, per key (platform+account+lane), never above the quota.
 * @example
 * const limiter = new QuotaLimiter(clock);
 * await limiter.acquire('sendgrid:default:mail.send', { limit: 600, windowMs: 60_000 });
 */
export class QuotaLimiter {
  readonly #clock: Clock;
  readonly #lanes = new Map<string, Lane>();
  readonly #pauses = new Map<string, number>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /**
   * Resolves when one request under `key` may be sent; callers are served in order. The
   * first call for a key fixes its quota.
   */
  acquire(key: string, quota: RateQuota, signal?: AbortSignal): Promise<void> {
    const lane = this.#lane(key, quota);
    const turn = lane.tail.then(() => this.#take(key, lane, signal));
    lane.tail = turn.catch(() => undefined);
    // A SimulatedClock re-arms only on sleepUntil/track; queuing behind a sleeper does
    // neither, so poke it or time would stall with that sleeper pending.
    this.#clock.track(Promise.resolve()).catch(() => undefined);
    return turn;
  }

  /** Holds every request under `key` until `until` (epoch ms), as the server asked. */
  pause(key: string, until: number): void {
    this.#pauses.set(key, Math.max(this.pausedUntil(key), until));
    this.#clock.track(Promise.resolve()).catch(() => undefined);
  }

  /** Epoch ms until which `key` is paused by the server; 0 when it is not. */
  pausedUntil(key: string): number {
    return this.#pauses.get(key) ?? 0;
  }

  async #take(key: string, lane: Lane, signal: AbortSignal | undefined): Promise<void> {
    for (;;) {
      const pausedUntil = this.pausedUntil(key);
      if (pausedUntil > this.#clock.now()) {
        await this.#clock.sleepUntil(pausedUntil, signal);
      } else if (lane.bucket.tryRemoveTokens(1)) {
        this.#clock.track(Promise.resolve()).catch(() => undefined);
        return;
      } else {
        await this.#clock.sleepUntil(this.#clock.now() + lane.bucket.getWaitTime(1), signal);
      }
    }
  }

  #lane(key: string, quota: RateQuota): Lane {
    let lane = this.#lanes.get(key);
    if (!lane) {
      lane = {
        bucket: new ClockedTokenBucket(quota, this.#clock),
        tail: Promise.resolve(),
      };
      this.#lanes.set(key, lane);
    }
    return lane;
  }
}
