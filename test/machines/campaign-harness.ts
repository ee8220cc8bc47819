/**
 * Drives the real campaign chart with controllable actors: the start deadline and each step's
 * execution resolve only when a test says so, and every execution start is recorded with the
 * campaign state at that moment.
 */
import { createActor, fromPromise } from 'xstate';
import { campaignMachine } from '../../src/machines/campaign-machine.js';
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
  const executions = new Map<string, Deferred>();
  let startGate: Deferred | undefined;
  const result = (): StepResult => ({
    accepted: 1,
    unknown: 0,
    suppressed: 0,
    outputs: {},
    finishedAt: input.startsAt,
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
          executeStep: fromPromise<StepResult, ExecuteStepInput>(({ input: step, signal }) => {
            starts.push({ step: step.stepId, campaignState: actor.getSnapshot().value });
            // Leaving `executing` (pause, cancel) aborts the execution: it is no longer running.
            signal.addEventListener('abort', () => executions.delete(step.stepId));
            return new Promise<StepResult>((resolve, reject) =>
              executions.set(step.stepId, { resolve: () => resolve(result()), reject }),
            );
          }),
        },
      }),
    },
  });
  const actor = createActor(machine, { input });
  actor.start();
  const settle = () => new Promise((r) => setTimeout(r, 0));
  return {
    actor,
    starts,
    /** Steps whose execution is in flight. */
    running: () => [...executions.keys()],
    async start() {
      startGate?.resolve();
      await settle();
    },
    async finish(step: string) {
      const execution = executions.get(step);
      executions.delete(step);
      execution?.resolve();
      await settle();
    },
    async fail(step: string) {
      const execution = executions.get(step);
      executions.delete(step);
      execution?.reject({
        code: 'invalid_request',
        message: 'refused',
        retryable: false,
        at: input.startsAt,
      });
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
