/**
 * The channel delivery actor: a child of its step in the actor tree, pausable between batches
 * without re-running any.
 */
import { expect, it } from 'vitest';
import { staticAudience } from '../../src/actors/audience-resolver.js';
import { CampaignSystem } from '../../src/actors/campaign-system.js';
import { unsafeNoComplianceGate } from '../../src/actors/delivery-gate.js';
import type { ConnectorRegistry } from '../../src/connectors/connector.js';
import { SimulatedClock } from '../../src/schedule/clock.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { MemoryPlatforms } from '../fixtures/memory-platform.js';

const recipients = Array.from({ length: 250 }, (_, i) => ({
  id: `r${String(i)}`,
  email: `r${String(i)}@example.com`,
}));

it('pauses after the batch in flight, shows where it stands, and resumes from the next batch', async () => {
  const platforms = new MemoryPlatforms();
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let calls = 0;
  const connectors: ConnectorRegistry = {
    get: (platform) => {
      const connector = platforms.get(platform);
      return {
        ...connector,
        perform: async (request) => {
          if (++calls === 1) await held;
          return connector.perform(request);
        },
      };
    },
  };
  const store = openSqliteStore(':memory:');
  const system = new CampaignSystem({
    store,
    clock: new SimulatedClock(Date.parse('2026-11-25T12:00:00Z')),
    connectors,
    audience: staticAudience(recipients),
    gate: unsafeNoComplianceGate,
  });
  const id = await system.launch({
    name: 'Batches',
    audience: { segment: 'all' },
    steps: [{ id: 'mail', platform: 'email', action: 'email', content: { subject: 'Hi' } }],
  });
  while (calls === 0) await new Promise((r) => setTimeout(r, 5));
  await system.pause(id);
  release();
  await new Promise((r) => setTimeout(r, 200));
  // The first of three batches (100 each) went out; nothing after it.
  expect(platforms.received.map((r) => r.recipients.length)).toEqual([100]);
  const step = (await system.inspect(id)).children.find((c) => c.id === 'step:mail')!;
  expect(step.state).toBe('active.executing.paused');
  const delivery = step.children.find((c) => c.id === 'delivery')!;
  expect(delivery.state).toBe('paused');
  expect(delivery.summary.progress).toMatchObject({ total: 250, done: 100, accepted: 100 });
  await system.resume(id);
  const report = await system.settled(id);
  expect(report.steps[0]!.result).toMatchObject({ accepted: 250, unknown: 0 });
  // No batch ran twice: three calls, three keys, each recipient once.
  expect(platforms.received.map((r) => r.recipients.length)).toEqual([100, 100, 50]);
  expect(new Set(platforms.received.flatMap((r) => r.recipients)).size).toBe(250);
  await system.stop();
  await store.close();
});
