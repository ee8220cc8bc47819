/**
 * Drives the real campaign chart with controllable actors: the start deadline and each step's
 * execution resolve only when a test says so, and every execution start is recorded with the
 * campaign state at that moment.
 */
import { assign, createActor, fromPromise, setup } from 'xstate';
import { campaignMachine } from '../../src/machines/campaign-machine.js';
import type { DeliveryOutput, deliveryMachine } from '../../src/machines/delivery-machine.js';
import type {
  CampaignMachineInput,
  DeliveryPlan,
  StepResult,
} from '../../src/machines/machine-types.js';
import {
  stepMachine,
  type ExecuteStepInput,
  type PlanDeliveryInput,
  type WaitUntilInput,
} from '../../src/machines/step-machine.js';

const RETRY = {
  initialInterval: 'PT1S',
  backoffCoefficient: 2,
  maximumInterval: 'PT1M',
  maximumAttempts: 1,
  nonRetryableErrorCodes: [],
};

/** Three steps: `b` waits on `a`; `c` is independent. */
export const HARNESS_INPUT: CampaignMachineInput = {
  campaignId: 'harness',
  onStepFailure: 'fail_campaign',
  startsAt: '2026-11-25T12:00:00.000Z',
  steps: [
    { id: 'a', prerequisites: [], retry: RETRY },
    { id: 'b', prerequisites: ['a'], retry: RETRY },
    { id: 'c', prerequisites: [], retry: RETRY },
  ],
};

interface Deferred {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** A campaign actor under test control. */
export function campaignHarness(input: CampaignMachineInput = HARNESS_INPUT) {
  const starts: { step: string; campaignState: string }[] = [];
  let startGate: Deferred | undefined;
  const result = (): StepResult => ({
    accepted: 1,
    unknown: 0,
    suppressed: 0,
    outputs: {},
    finishedAt: input.startsAt,
  });
  /** A channel delivery that sends while running, holds when paused, and ends when told. */
  const delivery = setup({
    types: {
      input: {} as ExecuteStepInput,
      context: {} as { stepId: string; output?: DeliveryOutput },
      events: {} as
        | { type: 'delivery.pause' }
        | { type: 'delivery.resume' }
        | { type: 'harness.finish' }
        | { type: 'harness.fail' },
      output: {} as DeliveryOutput,
    },
  }).createMachine({
    context: ({ input: step }) => {
      starts.push({ step: step.stepId, campaignState: actor.getSnapshot().value });
      return { stepId: step.stepId };
    },
    initial: 'sending',
    on: {
      'harness.finish': { target: '.ended', actions: assign({ output: { result: result() } }) },
      'harness.fail': {
        target: '.ended',
        actions: assign({
          output: {
            error: {
              code: 'invalid_request',
              message: 'refused',
              retryable: false,
              at: input.startsAt,
            },
          },
        }),
      },
    },
    states: {
      sending: { on: { 'delivery.pause': 'paused' } },
      paused: { on: { 'delivery.resume': 'sending' } },
      ended: { type: 'final' },
    },
    output: ({ context }) => context.output!,
  });
  const machine = campaignMachine.provide({
    actors: {
      waitUntil: fromPromise<undefined, WaitUntilInput>(
        () =>
          new Promise<undefined>(
            (resolve, reject) => (startGate = { resolve: () => resolve(undefined), reject }),
          ),
      ),
      step: stepMachine.provide({
        actors: {
          planDelivery: fromPromise<DeliveryPlan, PlanDeliveryInput>(() =>
            Promise.resolve({ firstAt: input.startsAt, waves: 1, recipients: 0 }),
          ),
          waitUntil: fromPromise<undefined, WaitUntilInput>(() => Promise.resolve(undefined)),
          delivery: delivery as unknown as typeof deliveryMachine,
        },
      }),
    },
  });
  const actor = createActor(machine, { input });
  actor.start();
  const settle = () => new Promise((r) => setTimeout(r, 0));
  const deliveryOf = (step: string) => {
    const stepActor = actor.getSnapshot().children[`step:${step}`];
    return (stepActor?.getSnapshot() as { children?: Record<string, AnyRef> } | undefined)?.children
      ?.delivery;
  };
  return {
    actor,
    starts,
    /** Steps whose delivery is sending (not paused, not ended). */
    running: () =>
      input.steps
        .map((s) => s.id)
        .filter((id) => deliveryOf(id)?.getSnapshot().value === 'sending'),
    async start() {
      startGate?.resolve();
      await settle();
    },
    async finish(step: string) {
      deliveryOf(step)?.send({ type: 'harness.finish' });
      await settle();
    },
    async fail(step: string) {
      deliveryOf(step)?.send({ type: 'harness.fail' });
      await settle();
    },
    async send(
      type: 'campaign.schedule' | 'campaign.pause' | 'campaign.resume' | 'campaign.cancel',
    ) {
      if (actor.getSnapshot().status !== 'active') return;
      actor.send({ type });
      await settle();
    },
  };
}

interface AnyRef {
  getSnapshot(): { value?: unknown };
  send(event: { type: string }): void;
}
