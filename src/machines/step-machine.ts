/**
 * @module
 * The chart of one campaign step: wait for the steps it depends on, plan its delivery, wait
 * for its time, execute, retry per its policy, and end done, failed or skipped. Pure: its
 * actors (`planDelivery`, `waitUntil`, `executeStep`) are provided by the runtime.
 */
import { assign, fromPromise, sendParent, setup } from 'xstate';
import type { DeliveryPlan, ErrorSummary, StepMachineInput, StepResult } from './machine-types.js';
import { retryDelayMs } from './retry-delay.js';

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

/** Events a step actor accepts. */
export type StepEvent =
  | { type: 'step.dependencyDone'; step: string; result: StepResult }
  | { type: 'step.dependencyFailed'; step: string }
  | { type: 'step.pause' }
  | { type: 'step.resume' }
  | { type: 'step.cancel' };

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

/** Input of the `executeStep` actor. */
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
    executeStep: unprovided('executeStep') as unknown as ReturnType<
      typeof fromPromise<StepResult, ExecuteStepInput>
    >,
  },
  guards: {
    dependenciesMet: ({ context }) => context.prerequisites.every((id) => id in context.inputs),
    hasNothingToDeliver: ({ context }) => context.plan?.firstAt === null,
    canRetry: ({ context, event }) => {
      const error = (event as unknown as { error: ErrorSummary }).error;
      return (
        error.retryable &&
        context.attempt < context.retry.maximumAttempts &&
        !context.retry.nonRetryableErrorCodes.includes(error.code)
      );
    },
  },
  actions: {
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
    reportCompleted: sendParent(({ context }) => ({
      type: 'step.completed',
      stepId: context.id,
      result: context.result!,
    })),
    reportFailed: sendParent(({ context }) => ({
      type: 'step.failed',
      stepId: context.id,
      error: context.error!,
    })),
    reportSkipped: sendParent(({ context }) => ({
      type: 'step.skipped',
      stepId: context.id,
      reason: context.skipReason ?? 'skipped',
    })),
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
          invoke: {
            src: 'planDelivery',
            input: ({ context }) => ({
              campaignId: context.campaignId,
              stepId: context.id,
              launchedAt: context.launchedAt,
              ...(context.anchorDoneAt === undefined ? {} : { anchorDoneAt: context.anchorDoneAt }),
            }),
            onDone: { target: 'scheduled', actions: assign({ plan: ({ event }) => event.output }) },
            onError: {
              target: '#step.failed',
              actions: assign({ error: ({ event }) => toSummary(event.error) }),
            },
          },
        },
        scheduled: {
          always: {
            guard: 'hasNothingToDeliver',
            target: '#step.done',
            actions: assign({
              result: ({ context }) => ({
                accepted: 0,
                unknown: 0,
                suppressed: 0,
                outputs: {},
                finishedAt: context.anchorDoneAt ?? context.launchedAt,
              }),
            }),
          },
          invoke: {
            src: 'waitUntil',
            input: ({ context }) => ({
              campaignId: context.campaignId,
              key: `step:${context.id}:scheduled`,
              deadline: context.plan!.firstAt!,
              description: `step "${context.id}" starts`,
            }),
            onDone: 'executing',
            onError: {
              target: '#step.failed',
              actions: assign({ error: ({ event }) => toSummary(event.error) }),
            },
          },
        },
        executing: {
          entry: assign({ attempt: ({ context }) => context.attempt + 1 }),
          invoke: {
            src: 'executeStep',
            input: ({ context }) => ({
              campaignId: context.campaignId,
              stepId: context.id,
              launchedAt: context.launchedAt,
              attempt: context.attempt,
              inputs: context.inputs,
              ...(context.anchorDoneAt === undefined ? {} : { anchorDoneAt: context.anchorDoneAt }),
            }),
            onDone: {
              target: '#step.done',
              actions: assign({ result: ({ event }) => event.output }),
            },
            onError: [
              {
                guard: 'canRetry',
                target: 'retrying',
                actions: assign(({ context, event }) => {
                  const error = toSummary(event.error);
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
                actions: assign({ error: ({ event }) => toSummary(event.error) }),
              },
            ],
          },
        },
        retrying: {
          invoke: {
            src: 'waitUntil',
            input: ({ context }) => ({
              campaignId: context.campaignId,
              key: `step:${context.id}:retry:${String(context.attempt)}`,
              deadline: context.retryAt!,
              description: `step "${context.id}" retries (attempt ${String(context.attempt + 1)})`,
            }),
            onDone: 'executing',
            onError: {
              target: '#step.failed',
              actions: assign({ error: ({ event }) => toSummary(event.error) }),
            },
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

/** Turns whatever an actor threw into a JSON error summary. */
export function toSummary(error: unknown): ErrorSummary {
  if (typeof error === 'object' && error !== null && 'code' in error && 'at' in error) {
    const e = error as ErrorSummary;
    return {
      code: e.code,
      message: e.message,
      retryable: e.retryable,
      at: e.at,
      ...(e.retryAfterMs === undefined ? {} : { retryAfterMs: e.retryAfterMs }),
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message, retryable: false, at: new Date(0).toISOString() };
}
