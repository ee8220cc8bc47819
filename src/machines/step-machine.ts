/**
 * @module
 * The chart of one campaign step: wait for the steps it depends on, plan its delivery, wait
 * for its time, deliver, retry per its policy, and end done, failed or skipped. Pure: its
 * long-running work is done by child actors it spawns (`planDelivery`, `waitUntil`, and the
 * channel `delivery` actor) that report back by their done and error events — no `invoke`, so
 * `createTestModel` from `xstate/graph` runs on it as it is.
 */
import { assign, enqueueActions, fromPromise, sendTo, setup, stopChild } from 'xstate';
import { deliveryMachine, type DeliveryOutput } from './delivery-machine.js';
import type { DeliveryPlan, ErrorSummary, StepMachineInput, StepResult } from './machine-types.js';
import { retryDelayMs } from './retry-delay.js';
import { toSummary } from './to-summary.js';

/** Context of a step actor. */
export interface StepContext extends StepMachineInput {
  /** Outputs of finished prerequisites, by step id. */
  readonly inputs: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** ISO instant the anchor of relative timing finished. */
  readonly anchorDoneAt?: string;
  readonly plan?: DeliveryPlan;
  /** Attempts started so far. */
  readonly attempt: number;
  /** ISO instant of the next retry. */
  readonly retryAt?: string;
  readonly result?: StepResult;
  readonly error?: ErrorSummary;
  readonly skipReason?: string;
}

/**
 * Events a step actor accepts: from its campaign, and its children's reports
 * (`xstate.done.actor.<id>` with their output, `xstate.error.actor.<id>`).
 */
export type StepEvent =
  | { type: 'step.dependencyDone'; step: string; result: StepResult }
  | { type: 'step.dependencyFailed'; step: string }
  | { type: 'step.pause' }
  | { type: 'step.resume' }
  | { type: 'step.cancel' }
  | { type: 'xstate.done.actor.plan'; output: DeliveryPlan }
  | { type: 'xstate.done.actor.start'; output?: undefined }
  | { type: 'xstate.done.actor.retry'; output?: undefined }
  | { type: 'xstate.done.actor.delivery'; output: DeliveryOutput }
  | { type: `xstate.error.actor.${'plan' | 'start' | 'retry' | 'delivery'}`; error: unknown };

/** Input of the `planDelivery` actor. */
export interface PlanDeliveryInput {
  readonly campaignId: string;
  readonly stepId: string;
  readonly launchedAt: string;
  readonly anchorDoneAt?: string;
}

/** Input of the `waitUntil` actor: an absolute deadline that survives a restart. */
export interface WaitUntilInput {
  readonly campaignId: string;
  /** Unique key of this wait in the store's timeline. */
  readonly key: string;
  /** ISO instant. */
  readonly deadline: string;
  readonly description: string;
}

/** Input of the `delivery` actor. */
export interface ExecuteStepInput extends PlanDeliveryInput {
  readonly attempt: number;
  readonly inputs: StepContext['inputs'];
}

const unprovided = (name: string) =>
  fromPromise<never, unknown>(() => Promise.reject(new Error(`actor "${name}" was not provided`)));

/** Events a step handles until it ends, active or paused. */
const whileUnfinished = {
  'step.dependencyDone': { actions: 'recordDependency' },
  'step.dependencyFailed': { target: '#step.skipped', actions: 'recordSkipReason' },
  'step.cancel': { target: '#step.cancelled' },
} as const;

/** The step chart. Provide its actors with `stepMachine.provide({ actors })`. */
export const stepMachine = setup({
  types: {
    context: {} as StepContext,
    input: {} as StepMachineInput,
    events: {} as StepEvent,
  },
  actors: {
    planDelivery: unprovided('planDelivery') as unknown as ReturnType<
      typeof fromPromise<DeliveryPlan, PlanDeliveryInput>
    >,
    waitUntil: unprovided('waitUntil') as unknown as ReturnType<
      typeof fromPromise<undefined, WaitUntilInput>
    >,
    delivery: deliveryMachine,
  },
  guards: {
    dependenciesMet: ({ context }) => context.prerequisites.every((id) => id in context.inputs),
    delivered: ({ event }) =>
      event.type === 'xstate.done.actor.delivery' && 'result' in event.output,
    canRetry: ({ context, event }) => {
      if (event.type !== 'xstate.done.actor.delivery' || !('error' in event.output)) return false;
      const { error } = event.output;
      return (
        error.retryable &&
        context.attempt < context.retry.maximumAttempts &&
        !context.retry.nonRetryableErrorCodes.includes(error.code)
      );
    },
  },
  actions: {
    failWith: assign({ error: ({ event }) => toSummary((event as { error?: unknown }).error) }),
    recordDependency: assign(({ context, event }) => {
      if (event.type !== 'step.dependencyDone') return {};
      return {
        inputs: { ...context.inputs, [event.step]: event.result.outputs },
        ...(event.step === context.anchor ? { anchorDoneAt: event.result.finishedAt } : {}),
      };
    }),
    recordSkipReason: assign(({ event }) =>
      event.type === 'step.dependencyFailed'
        ? { skipReason: `prerequisite "${event.step}" did not complete` }
        : {},
    ),
    // A step reports to its campaign; alone (a model test's traversal) it has no one to tell.
    reportCompleted: enqueueActions(({ context, self, enqueue }) => {
      if (self._parent)
        enqueue.sendParent({ type: 'step.completed', stepId: context.id, result: context.result! });
    }),
    reportFailed: enqueueActions(({ context, self, enqueue }) => {
      if (self._parent)
        enqueue.sendParent({ type: 'step.failed', stepId: context.id, error: context.error! });
    }),
    reportSkipped: enqueueActions(({ context, self, enqueue }) => {
      if (self._parent)
        enqueue.sendParent({
          type: 'step.skipped',
          stepId: context.id,
          reason: context.skipReason ?? 'skipped',
        });
    }),
  },
}).createMachine({
  id: 'step',
  context: ({ input }) => ({ ...input, inputs: {}, attempt: 0 }),
  initial: 'active',
  states: {
    active: {
      initial: 'waiting',
      on: { ...whileUnfinished, 'step.pause': 'paused' },
      states: {
        waiting: { always: { guard: 'dependenciesMet', target: 'planning' } },
        planning: {
          entry: enqueueActions(({ context, enqueue }) => {
            enqueue.spawnChild('planDelivery', {
              id: 'plan',
              input: {
                campaignId: context.campaignId,
                stepId: context.id,
                launchedAt: context.launchedAt,
                ...(context.anchorDoneAt === undefined
                  ? {}
                  : { anchorDoneAt: context.anchorDoneAt }),
              },
            });
          }),
          exit: stopChild('plan'),
          on: {
            'xstate.done.actor.plan': [
              {
                guard: ({ event }) => event.output.firstAt === null,
                target: '#step.done',
                actions: assign(({ context, event }) => ({
                  plan: event.output,
                  result: {
                    accepted: 0,
                    unknown: 0,
                    suppressed: 0,
                    outputs: {},
                    finishedAt: context.anchorDoneAt ?? context.launchedAt,
                  },
                })),
              },
              { target: 'scheduled', actions: assign({ plan: ({ event }) => event.output }) },
            ],
            'xstate.error.actor.plan': { target: '#step.failed', actions: 'failWith' },
          },
        },
        scheduled: {
          entry: enqueueActions(({ context, enqueue }) => {
            enqueue.spawnChild('waitUntil', {
              id: 'start',
              input: {
                campaignId: context.campaignId,
                key: `step:${context.id}:scheduled`,
                deadline: context.plan!.firstAt!,
                description: `step "${context.id}" starts`,
              },
            });
          }),
          exit: stopChild('start'),
          on: {
            'xstate.done.actor.start': 'executing',
            'xstate.error.actor.start': { target: '#step.failed', actions: 'failWith' },
          },
        },
        executing: {
          entry: [
            assign({ attempt: ({ context }) => context.attempt + 1 }),
            enqueueActions(({ context, enqueue }) => {
              enqueue.spawnChild('delivery', {
                id: 'delivery',
                input: {
                  campaignId: context.campaignId,
                  stepId: context.id,
                  launchedAt: context.launchedAt,
                  attempt: context.attempt,
                  inputs: context.inputs,
                  ...(context.anchorDoneAt === undefined
                    ? {}
                    : { anchorDoneAt: context.anchorDoneAt }),
                },
              });
            }),
          ],
          exit: stopChild('delivery'),
          initial: 'delivering',
          states: {
            delivering: {},
            // The delivery actor lives on: it finishes the batch in flight and waits.
            paused: {},
          },
          on: {
            'step.pause': {
              target: '.paused',
              actions: sendTo('delivery', { type: 'delivery.pause' }),
            },
            'step.resume': {
              target: '.delivering',
              actions: sendTo('delivery', { type: 'delivery.resume' }),
            },
            'xstate.error.actor.delivery': { target: '#step.failed', actions: 'failWith' },
            'xstate.done.actor.delivery': [
              {
                guard: 'delivered',
                target: '#step.done',
                actions: assign({
                  result: ({ event }) => (event.output as { result: StepResult }).result,
                }),
              },
              {
                guard: 'canRetry',
                target: 'retrying',
                actions: assign(({ context, event }) => {
                  const { error } = event.output as { error: ErrorSummary };
                  const delay = retryDelayMs(
                    context.retry,
                    context.attempt,
                    context.id,
                    error.retryAfterMs,
                  );
                  return { error, retryAt: new Date(Date.parse(error.at) + delay).toISOString() };
                }),
              },
              {
                target: '#step.failed',
                actions: assign({
                  error: ({ event }) => (event.output as { error: ErrorSummary }).error,
                }),
              },
            ],
          },
        },
        retrying: {
          entry: enqueueActions(({ context, enqueue }) => {
            enqueue.spawnChild('waitUntil', {
              id: 'retry',
              input: {
                campaignId: context.campaignId,
                key: `step:${context.id}:retry:${String(context.attempt)}`,
                deadline: context.retryAt!,
                description: `step "${context.id}" retries (attempt ${String(context.attempt + 1)})`,
              },
            });
          }),
          exit: stopChild('retry'),
          on: {
            'xstate.done.actor.retry': 'executing',
            'xstate.error.actor.retry': { target: '#step.failed', actions: 'failWith' },
          },
        },
        history: { type: 'history', history: 'deep' },
      },
    },
    paused: { on: { ...whileUnfinished, 'step.resume': 'active.history' } },
    // End states are not `final`: the campaign stops its step actors when it ends, and a final
    // child would report `done` to a parent that may already have stopped.
    done: { entry: 'reportCompleted' },
    failed: { entry: 'reportFailed' },
    skipped: { entry: 'reportSkipped' },
    cancelled: {},
  },
});
