import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '../schedule/clock.js';
import { maxInRollingWindow } from '../sandbox/sliding-window.js';
import { QuotaLimiter } from './quota-limiter.js';

/** Runs arrivals (ms offsets) through a limiter on simulated time; returns grant times. */
async function grants(
  arrivals: readonly number[],
  quota: { limit: number; windowMs: number },
  pauses: readonly { at: number; forMs: number }[] = [],
): Promise<number[]> {
  const clock = new SimulatedClock(0);
  const limiter = new QuotaLimiter(clock);
  const granted: number[] = [];
  const pausing = pauses.map(async (p) => {
    await clock.sleepUntil(p.at);
    limiter.pause('k', p.at + p.forMs);
  });
  await Promise.all([
    ...pausing,
    ...arrivals.map(async (at) => {
      await clock.sleepUntil(at);
      await limiter.acquire('k', quota);
      granted.push(clock.now());
    }),
  ]);
  return granted;
}

describe('QuotaLimiter', () => {
  it('never lets a rolling window hold more than the quota for any arrival pattern', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          limit: fc.integer({ min: 2, max: 300 }),
          windowMs: fc.integer({ min: 100, max: 60_000 }),
        }),
        fc.array(fc.integer({ min: 0, max: 120_000 }), { minLength: 1, maxLength: 400 }),
        fc.array(
          fc.record({
            at: fc.integer({ min: 0, max: 120_000 }),
            forMs: fc.integer({ min: 0, max: 10_000 }),
          }),
          { maxLength: 3 },
        ),
        async (quota, arrivals, pauses) => {
          const granted = await grants(arrivals, quota, pauses);
          expect(granted).toHaveLength(arrivals.length);
          expect(maxInRollingWindow(granted, quota.windowMs)).toBeLessThanOrEqual(quota.limit);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('sustains close to the quota under a steady backlog', async () => {
    const granted = await grants(
      Array.from({ length: 3000 }, () => 0),
      { limit: 600, windowMs: 60_000 },
    );
    const span = granted.at(-1)! - granted[0]!;
    expect((granted.length - 1) / (span / 60_000)).toBeGreaterThan(600 * 0.95);
  });

  it('holds requests until a server pause ends', async () => {
    const clock = new SimulatedClock(0);
    const limiter = new QuotaLimiter(clock);
    limiter.pause('k', 5000);
    limiter.pause('k', 1000);
    expect(limiter.pausedUntil('k')).toBe(5000);
    expect(limiter.pausedUntil('other')).toBe(0);
    await limiter.acquire('k', { limit: 10, windowMs: 1000 });
    expect(clock.now()).toBe(5000);
  });

  it('keeps serving a lane after an aborted wait', async () => {
    const clock = new SimulatedClock(0, { autoAdvance: false });
    const limiter = new QuotaLimiter(clock);
    limiter.pause('k', 1000);
    const controller = new AbortController();
    const aborted = limiter.acquire('k', { limit: 10, windowMs: 1000 }, controller.signal);
    const next = limiter.acquire('k', { limit: 10, windowMs: 1000 });
    await new Promise((r) => setTimeout(r, 1));
    controller.abort(new Error('gone'));
    await expect(aborted).rejects.toThrow('gone');
    clock.advanceTo(1000);
    await next;
    expect(clock.now()).toBe(1000);
  });
});
