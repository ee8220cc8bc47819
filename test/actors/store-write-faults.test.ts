import { describe, expect, it } from 'vitest';
import { staticAudience } from '../../src/actors/audience-resolver.js';
import { CampaignSystem } from '../../src/actors/campaign-system.js';
import { unsafeNoComplianceGate } from '../../src/actors/delivery-gate.js';
import { storeFault } from '../../src/cli/store-faults.js';
import { SimulatedClock, systemClock, type Clock } from '../../src/schedule/clock.js';
import type { CampaignSpecInput } from '../../src/spec/campaign-schema.js';
import type { HeraldStore } from '../../src/store/herald-store.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { MemoryPlatforms } from '../fixtures/memory-platform.js';

const START = Date.parse('2026-11-25T12:00:00Z');

/** What SQLite throws when the disk is full. */
function diskFull(): Error {
  return Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
}

/** A store whose `method` starts failing with a full disk once `armed()` says so. */
function failing(
  base: HeraldStore,
  method: 'appendEvent' | 'heartbeat' | 'saveSnapshot',
  armed: () => boolean,
): HeraldStore {
  return new Proxy(base, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      if (key === method)
        return (...args: unknown[]) =>
          armed()
            ? Promise.reject(diskFull())
            : (value as (...a: unknown[]) => unknown).apply(target, args);
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
}

const spec: CampaignSpecInput = {
  name: 'Faults',
  steps: [
    { id: 'hello', platform: 'slack', action: 'notify', content: { text: 'hi', channel: '#a' } },
    {
      id: 'later',
      platform: 'slack',
      action: 'notify',
      content: { text: 'later', channel: '#a' },
      timing: { kind: 'relative', after: 'hello', offset: 'P1D' },
    },
  ],
};

async function runWith(
  method: 'appendEvent' | 'heartbeat' | 'saveSnapshot',
  clock: Clock = new SimulatedClock(START),
) {
  const base = openSqliteStore(':memory:');
  let launched = false;
  const system = new CampaignSystem({
    store: failing(base, method, () => launched),
    clock,
    connectors: new MemoryPlatforms(),
    audience: staticAudience([]),
    gate: unsafeNoComplianceGate,
    commandPollMs: 5,
  });
  const id = await system.launch(spec, { id: 'faults' });
  launched = true;
  const outcome = await system.settled(id).then(
    () => 'settled',
    (error: unknown) => error,
  );
  await system.stop().catch(() => undefined);
  await base.close();
  return outcome;
}

describe('a store write nobody awaits fails', () => {
  it.each(['appendEvent', 'saveSnapshot'] as const)(
    '%s on a full disk stops the campaign and rejects settled with the store error',
    async (method) => {
      const outcome = await runWith(method);
      expect(outcome).toMatchObject({ code: 'SQLITE_FULL' });
      expect(storeFault(outcome, '/srv/.herald/herald.db')?.message).toBe(
        'the disk holding /srv/.herald/herald.db is full; free space, then continue with: herald resume <campaign>',
      );
    },
  );

  it('a heartbeat on a full disk stops the campaign instead of crashing the process', async () => {
    // Real time: the campaign waits a day for its second step, so only the heartbeat writes.
    const outcome = await runWith('heartbeat', systemClock);
    expect(outcome).toMatchObject({ code: 'SQLITE_FULL' });
  });
});
