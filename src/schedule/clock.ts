/**
 * @module
 * The injected source of time. Logic never reads the wall clock: it asks a `Clock`, which is
 * the system clock in production and a `SimulatedClock` in tests and `herald run`'s default
 * mode, where a week-long campaign runs in milliseconds.
 */

/** The time source every actor, connector and scheduler is given. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Resolves at `deadline` (epoch ms), or rejects with the signal's reason when aborted. */
  sleepUntil(deadline: number, signal?: AbortSignal): Promise<void>;
  /**
   * Marks `work` as in progress so a simulated clock does not jump past it; returns `work`.
   * The system clock ignores it.
   */
  track<T>(work: Promise<T>): Promise<T>;
}

/** Longest delay `setTimeout` accepts; longer waits are split. */
const MAX_TIMEOUT = 2_147_483_647;

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleepUntil(deadline, signal) {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason as Error);
        return;
      }
      let timer: NodeJS.Timeout;
      const arm = (): void => {
        const remaining = deadline - Date.now();
        if (remaining <= 0) {
          signal?.removeEventListener('abort', onAbort);
          resolve();
          return;
        }
        timer = setTimeout(arm, Math.min(remaining, MAX_TIMEOUT));
      };
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal!.reason as Error);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      arm();
    });
  },
  track: (work) => work,
};

interface Sleeper {
  readonly deadline: number;
  readonly resolve: () => void;
}

/**
 * A clock that jumps straight to the next deadline once nothing else is in flight.
 * @example
 * const clock = new SimulatedClock(Date.parse('2026-11-25T00:00:00Z'));
 * await clock.sleepUntil(clock.now() + 7 * 86_400_000); // returns at once, a week later
 */
export class SimulatedClock implements Clock {
  #now: number;
  #sleepers: Sleeper[] = [];
  #busy = 0;
  #scheduled = false;
  /** When false, time moves only through {@link SimulatedClock.advanceTo}. @default true */
  autoAdvance: boolean;

  constructor(start: number, options: { autoAdvance?: boolean } = {}) {
    this.#now = start;
    this.autoAdvance = options.autoAdvance ?? true;
  }

  now(): number {
    return this.#now;
  }

  /** Deadlines still waiting. */
  get pending(): number {
    return this.#sleepers.length;
  }

  sleepUntil(deadline: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    if (deadline <= this.#now) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const sleeper: Sleeper = {
        deadline,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        this.#sleepers = this.#sleepers.filter((s) => s !== sleeper);
        reject(signal!.reason as Error);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#sleepers.push(sleeper);
      this.#schedule();
    });
  }

  async track<T>(work: Promise<T>): Promise<T> {
    this.#busy++;
    try {
      return await work;
    } finally {
      this.#busy--;
      this.#schedule();
    }
  }

  /** Moves time forward to `time`, waking every sleeper whose deadline has come. */
  advanceTo(time: number): void {
    if (time > this.#now) this.#now = time;
    const due = this.#sleepers.filter((s) => s.deadline <= this.#now);
    this.#sleepers = this.#sleepers.filter((s) => s.deadline > this.#now);
    for (const sleeper of due) sleeper.resolve();
    if (this.#sleepers.length > 0) this.#schedule();
  }

  /** Moves time forward by `ms`. */
  advanceBy(ms: number): void {
    this.advanceTo(this.#now + ms);
  }

  #schedule(): void {
    if (!this.autoAdvance || this.#scheduled) return;
    this.#scheduled = true;
    // Two macrotask turns let promise chains and loopback I/O settle before time jumps.
    setImmediate(() => {
      setImmediate(() => {
        this.#scheduled = false;
        if (this.#busy > 0 || this.#sleepers.length === 0) return;
        const next = Math.min(...this.#sleepers.map((s) => s.deadline));
        this.advanceTo(next);
      });
    });
  }
}
