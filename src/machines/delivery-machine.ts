/**
 * @module
 * The channel delivery chart: one actor per execution of a step's delivery, a child of the
 * step. It walks the step's waves batch by batch — wait for the batch's instant, send it, take
 * the gate's deferrals back into its queue — and ends delivered or failed. Pausing lets the
 * batch in flight finish and stops before the next; resuming continues from the next batch.
 * Pure: its work is done by child actors the runtime provides (`prepareDelivery`,
 * `waitUntil`, `sendBatch`, `finishDelivery`), which report back by their done events.
 */
import { assign, enqueueActions, fromPromise, setup, stopChild } from 'xstate';
import type { ErrorSummary, StepResult } from './machine-types.js';
import type { ExecuteStepInput, WaitUntilInput } from './step-machine.js';
import { toSummary } from './to-summary.js';

/** A wave of the step's plan, as the delivery actor walks it. */
export interface DeliveryWave {
  /** Epoch ms of the wave. */
  readonly at: number;
  readonly occurrence: number;
  readonly label: string;
  /** Batches the wave is cut into (at least one). */
  readonly batches: number;
}

/** One batch: a planned one (members cut from its wave by the runtime), or a deferred one. */
export interface DeliveryBatch {
  /** Epoch ms it may be sent at. */
  readonly at: number;
  readonly occurrence: number;
  readonly wave: number;
  readonly batch: number;
  /** Times the gate deferred these members already; 0 for a planned batch. */
  readonly deferrals: number;
  readonly label: string;
  /** Ids of a deferred batch's members. */
  readonly members?: readonly string[];
}

/** Who the gate sent back to wait, until when and why: visible in `herald inspect`. */
export interface Deferral {
  /** Epoch ms of the check. */
  readonly at: number;
  readonly until: number;
  readonly count: number;
  readonly reason: string;
}

/** Counts of a delivery so far. */
export interface DeliveryProgress {
  readonly total: number;
  readonly done: number;
  readonly accepted: number;
  readonly unknown: number;
  readonly suppressed: number;
}

/** What `prepareDelivery` found: the waves to walk. */
export interface PreparedDelivery {
  readonly waves: readonly DeliveryWave[];
  /** Items (recipients, or one per post) in all waves. */
  readonly total: number;
}

/** What one batch did. */
export interface BatchOutcome {
  readonly done: number;
  readonly accepted: number;
  readonly unknown: number;
  readonly suppressed: number;
  readonly outputs: Readonly<Record<string, string>>;
  /** Recipients left out, by reason. */
  readonly reasons: Readonly<Record<string, number>>;
  /** Follow-up batches of the members the gate deferred. */
  readonly deferred: readonly DeliveryBatch[];
  readonly deferrals: readonly Deferral[];
}

/** Input of `sendBatch`. */
export interface SendBatchInput extends ExecuteStepInput {
  readonly batch: DeliveryBatch;
  readonly progress: DeliveryProgress;
  /** Members of deferred batches still waiting. */
  readonly waiting: number;
}

/** Input of `finishDelivery`: records why recipients were left out; returns when it finished. */
export interface FinishDeliveryInput extends ExecuteStepInput {
  readonly reasons: Readonly<Record<string, number>>;
}

/** How a delivery ended: its result, or the error that ended it. */
export type DeliveryOutput = { readonly result: StepResult } | { readonly error: ErrorSummary };

/** Context of a delivery actor. */
export interface DeliveryContext extends ExecuteStepInput {
  readonly waves: readonly DeliveryWave[];
  /** The next planned batch. */
  readonly position: { readonly wave: number; readonly batch: number };
  /** Deferred batches, earliest first. */
  readonly deferred: readonly DeliveryBatch[];
  /** The gate's most recent deferrals (the last 20). */
  readonly deferrals: readonly Deferral[];
  readonly progress: DeliveryProgress;
  readonly outputs: Readonly<Record<string, string>>;
  readonly reasons: Readonly<Record<string, number>>;
  /** The batch being waited for or sent. */
  readonly next?: DeliveryBatch;
  /** A pause asked for while a batch was in flight: taken once it is done. */
  readonly pauseRequested: boolean;
  readonly result?: StepResult;
  readonly error?: ErrorSummary;
}

/**
 * Events a delivery actor accepts: pause and resume from its step, and its children's reports
 * (`xstate.done.actor.<id>` with their output, `xstate.error.actor.<id>`).
 */
export type DeliveryEvent =
  | { type: 'delivery.pause' }
  | { type: 'delivery.resume' }
  | { type: 'xstate.done.actor.prepare'; output: PreparedDelivery }
  | { type: 'xstate.done.actor.wait'; output?: undefined }
  | { type: 'xstate.done.actor.send'; output: BatchOutcome }
  | { type: 'xstate.done.actor.finish'; output: string }
  | { type: `xstate.error.actor.${'prepare' | 'wait' | 'send' | 'finish'}`; error: unknown };

/** The earliest of the next planned batch and the first deferred one. */
export function nextBatch(context: DeliveryContext): DeliveryBatch | undefined {
  const wave = context.waves[context.position.wave];
  const planned: DeliveryBatch | undefined = wave && {
    at: wave.at,
    occurrence: wave.occurrence,
    wave: context.position.wave,
    batch: context.position.batch,
    deferrals: 0,
    label: wave.label,
  };
  const deferred = context.deferred[0];
  if (!planned) return deferred;
  return deferred && deferred.at < planned.at ? deferred : planned;
}

const unprovided = (name: string) =>
  fromPromise<never, unknown>(() => Promise.reject(new Error(`actor "${name}" was not provided`)));

/** The delivery chart. The step chart provides its actors. */
export const deliveryMachine = setup({
  types: {
    context: {} as DeliveryContext,
    input: {} as ExecuteStepInput,
    events: {} as DeliveryEvent,
    output: {} as DeliveryOutput,
  },
  actors: {
    prepareDelivery: unprovided('prepareDelivery') as unknown as ReturnType<
      typeof fromPromise<PreparedDelivery, ExecuteStepInput>
    >,
    waitUntil: unprovided('waitUntil') as unknown as ReturnType<
      typeof fromPromise<undefined, WaitUntilInput>
    >,
    sendBatch: unprovided('sendBatch') as unknown as ReturnType<
      typeof fromPromise<BatchOutcome, SendBatchInput>
    >,
    finishDelivery: unprovided('finishDelivery') as unknown as ReturnType<
      typeof fromPromise<string, FinishDeliveryInput>
    >,
  },
  actions: {
    failWith: assign({ error: ({ event }) => toSummary((event as { error?: unknown }).error) }),
  },
  guards: {
    nothingLeft: ({ context }) => nextBatch(context) === undefined,
    pauseRequested: ({ context }) => context.pauseRequested,
  },
}).createMachine({
  id: 'delivery',
  context: ({ input }) => ({
    ...input,
    waves: [],
    position: { wave: 0, batch: 0 },
    deferred: [],
    deferrals: [],
    progress: { total: 0, done: 0, accepted: 0, unknown: 0, suppressed: 0 },
    outputs: {},
    reasons: {},
    pauseRequested: false,
  }),
  initial: 'preparing',
  on: {
    'delivery.pause': { actions: assign({ pauseRequested: true }) },
    'delivery.resume': { actions: assign({ pauseRequested: false }) },
  },
  states: {
    preparing: {
      entry: enqueueActions(({ context, enqueue }) => {
        enqueue.spawnChild('prepareDelivery', { id: 'prepare', input: inputOf(context) });
      }),
      exit: stopChild('prepare'),
      on: {
        'xstate.done.actor.prepare': {
          target: 'next',
          actions: assign(({ context, event }) => ({
            waves: event.output.waves,
            progress: { ...context.progress, total: event.output.total },
          })),
        },
        'xstate.error.actor.prepare': { target: 'failed', actions: 'failWith' },
      },
    },
    next: {
      always: [
        { guard: 'nothingLeft', target: 'finishing' },
        { guard: 'pauseRequested', target: 'paused' },
        { target: 'waiting', actions: assign({ next: ({ context }) => nextBatch(context) }) },
      ],
    },
    waiting: {
      entry: enqueueActions(({ context, enqueue }) => {
        const batch = context.next!;
        enqueue.spawnChild('waitUntil', {
          id: 'wait',
          input: {
            campaignId: context.campaignId,
            key: `step:${context.stepId}:send:${String(batch.wave)}:${String(batch.batch)}${batch.deferrals > 0 ? `:${String(batch.at)}` : ''}`,
            deadline: new Date(batch.at).toISOString(),
            description: `step "${context.stepId}" ${batch.label}`,
          },
        });
      }),
      exit: stopChild('wait'),
      on: {
        'xstate.done.actor.wait': 'sending',
        'xstate.error.actor.wait': { target: 'failed', actions: 'failWith' },
        // Nothing is in flight while waiting: a pause takes effect at once.
        'delivery.pause': 'paused',
      },
    },
    sending: {
      entry: enqueueActions(({ context, enqueue }) => {
        enqueue.spawnChild('sendBatch', {
          id: 'send',
          input: {
            ...inputOf(context),
            batch: context.next!,
            progress: context.progress,
            waiting: context.deferred.reduce((n, d) => n + (d.members?.length ?? 0), 0),
          },
        });
      }),
      exit: stopChild('send'),
      on: {
        'xstate.done.actor.send': {
          target: 'next',
          actions: assign(({ context, event }) => afterBatch(context, event.output)),
        },
        'xstate.error.actor.send': { target: 'failed', actions: 'failWith' },
      },
    },
    paused: {
      on: { 'delivery.resume': { target: 'next', actions: assign({ pauseRequested: false }) } },
    },
    finishing: {
      entry: enqueueActions(({ context, enqueue }) => {
        enqueue.spawnChild('finishDelivery', {
          id: 'finish',
          input: { ...inputOf(context), reasons: context.reasons },
        });
      }),
      exit: stopChild('finish'),
      on: {
        'xstate.done.actor.finish': {
          target: 'delivered',
          actions: assign(({ context, event }) => ({
            result: {
              accepted: context.progress.accepted,
              unknown: context.progress.unknown,
              suppressed: context.progress.suppressed,
              outputs: context.outputs,
              finishedAt: event.output,
            },
          })),
        },
        'xstate.error.actor.finish': { target: 'failed', actions: 'failWith' },
      },
    },
    delivered: { type: 'final' },
    failed: { type: 'final' },
  },
  output: ({ context }) => (context.error ? { error: context.error } : { result: context.result! }),
});

function inputOf(context: DeliveryContext): ExecuteStepInput {
  return {
    campaignId: context.campaignId,
    stepId: context.stepId,
    launchedAt: context.launchedAt,
    attempt: context.attempt,
    inputs: context.inputs,
    ...(context.anchorDoneAt === undefined ? {} : { anchorDoneAt: context.anchorDoneAt }),
  };
}

/** The context after a batch: the queue moved on, its deferrals queued, its counts added. */
function afterBatch(context: DeliveryContext, outcome: BatchOutcome): Partial<DeliveryContext> {
  const sent = context.next!;
  let { position } = context;
  let deferred = [...context.deferred];
  if (sent.deferrals > 0) deferred = deferred.slice(1);
  else {
    const wave = context.waves[position.wave]!;
    position =
      position.batch + 1 < wave.batches
        ? { wave: position.wave, batch: position.batch + 1 }
        : { wave: position.wave + 1, batch: 0 };
  }
  for (const batch of outcome.deferred) {
    const index = deferred.findIndex((d) => d.at > batch.at);
    deferred.splice(index === -1 ? deferred.length : index, 0, batch);
  }
  const reasons = { ...context.reasons };
  for (const [reason, n] of Object.entries(outcome.reasons))
    reasons[reason] = (reasons[reason] ?? 0) + n;
  const { progress } = context;
  return {
    position,
    deferred,
    deferrals: [...context.deferrals, ...outcome.deferrals].slice(-20),
    reasons,
    outputs: { ...context.outputs, ...outcome.outputs },
    progress: {
      total: progress.total,
      done: progress.done + outcome.done,
      accepted: progress.accepted + outcome.accepted,
      unknown: progress.unknown + outcome.unknown,
      suppressed: progress.suppressed + outcome.suppressed,
    },
  };
}
