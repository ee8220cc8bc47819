/**
 * @module
 * The shipped charts with every child actor left idle, for model-based tests: nothing waits,
 * plans or sends, so the events a test sends (`step.completed`, `xstate.done.actor.plan`, …)
 * alone move the chart, exactly as `createTestModel` from `xstate/graph` predicts.
 */
import { fromPromise } from 'xstate';
import { campaignMachine } from './campaign-machine.js';
import { deliveryMachine } from './delivery-machine.js';
import { stepMachine } from './step-machine.js';

const idle = fromPromise<never, unknown>(() => new Promise<never>(() => undefined));

/** The channel delivery chart; its children never report. */
export const idleDeliveryMachine = deliveryMachine.provide({
  actors: {
    prepareDelivery: idle,
    waitUntil: idle,
    sendBatch: idle,
    finishDelivery: idle,
  } as never,
});

/** The step chart; its children never report. */
export const idleStepMachine = stepMachine.provide({
  actors: { planDelivery: idle, waitUntil: idle, delivery: idleDeliveryMachine } as never,
});

/** The campaign chart; its start deadline and its steps' children never report. */
export const idleCampaignMachine = campaignMachine.provide({
  actors: { waitUntil: idle, step: idleStepMachine } as never,
});
