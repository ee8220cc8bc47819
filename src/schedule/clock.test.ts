import { describe, expect, it } from 'vitest';
import { SimulatedClock, systemClock } from './clock.js';

describe('SimulatedClock', () => {
  it('jumps to the next deadline when nothing is in flight', async () => {
    const clock = new SimulatedClock(0);
    const week = 7 * 86_400_000;
    await clock.sleepUntil(week);
    expect(clock.now()).toBe(week);
  });

  it('does not jump while tracked work is in flight', async () => {
    const clock = new SimulatedClock(0);
    let release!: () => void;
    const work = clock.track(new Promise<void>((r) => (release = r)));
    const woke = clock.sleepUntil(1000).then(() => clock.now());
    await new Promise((r) => setTimeout(r, 5));
    expect(clock.now()).toBe(0);
    release();
    await work;
    expect(await woke).toBe(1000);
  });

  it('rejects a sleep when its signal aborts, and moves only by hand without autoAdvance', async () => {
    const clock = new SimulatedClock(0, { autoAdvance: false });
    const controller = new AbortController();
    const sleeping = clock.sleepUntil(50, controller.signal);
    controller.abort(new Error('left the state'));
    await expect(sleeping).rejects.toThrow('left the state');
    await expect(clock.sleepUntil(10, controller.signal)).rejects.toThrow('left the state');
    const later = clock.sleepUntil(100);
    expect(clock.pending).toBe(1);
    clock.advanceBy(100);
    await later;
    expect(clock.now()).toBe(100);
    await clock.sleepUntil(50);
  });
});

describe('systemClock', () => {
  it('sleeps until a deadline on the real clock and can be aborted', async () => {
    const start = systemClock.now();
    await systemClock.sleepUntil(start + 5);
    expect(systemClock.now()).toBeGreaterThanOrEqual(start + 5);
    await expect(systemClock.track(Promise.resolve(1))).resolves.toBe(1);
    const controller = new AbortController();
    const sleeping = systemClock.sleepUntil(start + 60_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(sleeping).rejects.toThrow('stop');
    await expect(systemClock.sleepUntil(start, controller.signal)).rejects.toThrow('stop');
  });
});
