/**
 * How many campaign actors one process holds and drives: full lifecycles per second through
 * the real runtime (SQLite journal and snapshots), against the same charts driven without any
 * persistence in the same run; memory per held campaign; and the cost of one snapshot.
 */
import { createActor, fromPromise } from 'xstate';
import { staticAudience } from '../src/actors/audience-resolver.js';
import { CampaignSystem } from '../src/actors/campaign-system.js';
import { campaignMachine } from '../src/machines/campaign-machine.js';
import { compileCampaign } from '../src/machines/compile-campaign.js';
import type { DeliveryOutput } from '../src/machines/delivery-machine.js';
import type { DeliveryPlan, StepResult } from '../src/machines/machine-types.js';
import {
  stepMachine,
  type ExecuteStepInput,
  type PlanDeliveryInput,
  type WaitUntilInput,
} from '../src/machines/step-machine.js';
import { SimulatedClock } from '../src/schedule/clock.js';
import { CampaignSpec, type CampaignSpecInput } from '../src/spec/campaign-schema.js';
import { openSqliteStore } from '../src/store/sqlite-store.js';
import { MemoryPlatforms } from '../test/fixtures/memory-platform.js';

const START = Date.parse('2026-11-25T12:00:00Z');
const spec: CampaignSpecInput = {
  name: 'Bench',
  steps: [
    { id: 'a', platform: 'slack', action: 'notify', content: { text: 'a' } },
    { id: 'b', platform: 'x', action: 'post', content: { text: 'b' }, dependsOn: [{ step: 'a' }] },
    {
      id: 'c',
      platform: 'slack',
      action: 'notify',
      timing: { kind: 'relative', after: 'b', offset: 'PT1H' },
    },
  ],
};

async function runtimeLifecycles(count: number) {
  const store = openSqliteStore(':memory:');
  const system = new CampaignSystem({
    store,
    clock: new SimulatedClock(START),
    connectors: new MemoryPlatforms(),
    audience: staticAudience([]),
  });
  const started = performance.now();
  const ids = await Promise.all(
    Array.from({ length: count }, (_, i) => system.launch(spec, { id: `c${String(i)}` })),
  );
  const reports = await Promise.all(ids.map((id) => system.settled(id)));
  const ms = performance.now() - started;
  await system.stop();
  await store.close();
  return { ms, completed: reports.filter((r) => r.status === 'completed').length };
}

async function bareLifecycles(count: number) {
  const result: StepResult = {
    accepted: 1,
    unknown: 0,
    suppressed: 0,
    outputs: {},
    finishedAt: new Date(START).toISOString(),
  };
  const machine = campaignMachine.provide({
    actors: {
      waitUntil: fromPromise<undefined, WaitUntilInput>(() => Promise.resolve(undefined)),
      step: stepMachine.provide({
        actors: {
          planDelivery: fromPromise<DeliveryPlan, PlanDeliveryInput>(() =>
            Promise.resolve({ firstAt: result.finishedAt, waves: 1, recipients: 0 }),
          ),
          waitUntil: fromPromise<undefined, WaitUntilInput>(() => Promise.resolve(undefined)),
          // The channel delivery actor, reduced to its outcome.
          delivery: fromPromise<DeliveryOutput, ExecuteStepInput>(() =>
            Promise.resolve({ result }),
          ) as never,
        },
      }),
    },
  });
  const { input } = compileCampaign(CampaignSpec.parse(spec), {
    campaignId: 'bare',
    startsAt: result.finishedAt,
  });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: count }, () => {
      const actor = createActor(machine, { input });
      const done = new Promise<void>((resolve) => actor.subscribe({ complete: resolve }));
      actor.start();
      actor.send({ type: 'campaign.schedule' });
      return done;
    }),
  );
  return performance.now() - started;
}

async function heldCampaigns(count: number) {
  const store = openSqliteStore(':memory:');
  const system = new CampaignSystem({
    store,
    clock: new SimulatedClock(START, { autoAdvance: false }),
    connectors: new MemoryPlatforms(),
  });
  globalThis.gc?.();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < count; i++)
    await system.launch(spec, { id: `h${String(i)}`, startsAt: START + 86_400_000 });
  await new Promise((r) => setTimeout(r, 50));
  globalThis.gc?.();
  const bytes = (process.memoryUsage().heapUsed - before) / count;
  const snapshotStarted = performance.now();
  const snapshots = 200;
  for (let i = 0; i < snapshots; i++) await system.inspect(`h${String(i)}`);
  const inspectUs = ((performance.now() - snapshotStarted) / snapshots) * 1000;
  await system.stop();
  await store.close();
  return { bytes, inspectUs };
}

export default async function run() {
  const count = 2000;
  await runtimeLifecycles(100);
  const runtime = await runtimeLifecycles(count);
  const bareMs = await bareLifecycles(count);
  const held = await heldCampaigns(5000);
  return {
    campaigns: count,
    stepsPerCampaign: 3,
    runtime: {
      ms: Math.round(runtime.ms),
      lifecyclesPerSecond: Math.round((count / runtime.ms) * 1000),
      completed: runtime.completed,
    },
    bareCharts: {
      ms: Math.round(bareMs),
      lifecyclesPerSecond: Math.round((count / bareMs) * 1000),
    },
    runtimeOverBare: Number((runtime.ms / bareMs).toFixed(2)),
    heldCampaigns: 5000,
    heapBytesPerHeldCampaign: Math.round(held.bytes),
    snapshotAndTreeMicroseconds: Math.round(held.inspectUs),
  };
}
