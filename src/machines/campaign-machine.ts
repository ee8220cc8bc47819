/**
 * @module
 * The campaign chart: `draft → scheduled → running ⇄ paused → [monitoring →] completed |
 * failed`, plus `cancelled`. A campaign with metric rules monitors, once its steps have
 * settled, until the last rule window closes. Running, it spawns one step actor per step, routes each step's outputs to the
 * steps that wait on it, and applies the failure policy. Pure: time and I/O live in the actors
 * the runtime provides, spawned as children that report back by events (no `invoke`, so
 * `createTestModel` from `xstate/graph` runs on the chart as it is).
 */
import { and, enqueueActions, fromPromise, setup, stopChild } from 'xstate';
import type {
  CampaignMachineInput,
  ErrorSummary,
  StepResult,
  StepStatus,
} from './machine-types.js';
import { stepMachine, type WaitUntilInput } from './step-machine.js';
import { JUDGING_MARGIN_MS, windowOpensAt } from '../metrics/rule-windows.js';

/** Context of a campaign actor. */
export interface CampaignContext extends CampaignMachineInput {
  readonly status: Readonly<Record<string, StepStatus>>;
  readonly results: Readonly<Record<string, StepResult>>;
  readonly errors: Readonly<Record<string, ErrorSummary>>;
  readonly skipped: Readonly<Record<string, string>>;
  /** True once step actors exist. */
  readonly spawned: boolean;
}

/** Events a campaign actor accepts (`xstate.*.actor.start|monitor`: its deadlines' children). */
export type CampaignEvent =
  | { type: `xstate.done.actor.${'start' | 'monitor'}`; output?: undefined }
  | { type: `xstate.error.actor.${'start' | 'monitor'}`; error: unknown }
  | { type: 'campaign.schedule' }
  | { type: 'campaign.pause' }
  | { type: 'campaign.resume' }
  | { type: 'campaign.cancel' }
  | { type: 'step.completed'; stepId: string; result: StepResult }
  | { type: 'step.failed'; stepId: string; error: ErrorSummary }
  | { type: 'step.skipped'; stepId: string; reason: string }
  | { type: 'step.pauseOne'; stepId: string }
  | { type: 'step.resumeOne'; stepId: string };

/** Actor id of a step inside its campaign. */
export function stepActorId(stepId: string): string {
  return `step:${stepId}`;
}

/** Once no step is pending, the campaign ends (completed only when none failed) or monitors. */
const settle = [
  { guard: and(['allSettled', 'anyFailed']), target: 'failed' },
  { guard: and(['allSettled', 'rulesOpen']), target: 'monitoring' },
  { guard: 'allSettled', target: 'completed' },
] as const;

/**
 * When monitoring ends (epoch ms): the last window of a rule that can still be judged closes,
 * plus {@link JUDGING_MARGIN_MS}; undefined when there is none (a rule watching a step that
 * did not run is never judged).
 */
export function monitoringEndsAt(context: CampaignContext): number | undefined {
  const start = Date.parse(context.startsAt);
  const finishedAt = (stepId: string) => {
    const result = context.results[stepId];
    return result ? Date.parse(result.finishedAt) : undefined;
  };
  let end: number | undefined;
  for (const rule of context.rules ?? []) {
    const opens = windowOpensAt(rule, start, finishedAt);
    if (opens !== undefined) end = Math.max(end ?? -Infinity, opens + rule.windowMs);
  }
  return end === undefined ? undefined : end + JUDGING_MARGIN_MS;
}

/** What a campaign does with its steps' reports, running or paused. */
const stepReports = {
  'step.completed': { actions: 'recordCompleted' },
  'step.skipped': { actions: 'recordNotDone' },
  'step.failed': [
    {
      guard: 'failsCampaign',
      target: 'failed',
      actions: ['recordNotDone', { type: 'broadcast', params: { type: 'step.cancel' } }],
    },
    { actions: 'recordNotDone' },
  ],
} as const;

const pending = (context: CampaignContext): string[] =>
  Object.keys(context.status).filter((id) => context.status[id] === 'pending');

/** The campaign chart. Provide `waitUntil` and the step chart's actors with `.provide()`. */
export const campaignMachine = setup({
  types: {
    context: {} as CampaignContext,
    input: {} as CampaignMachineInput,
    events: {} as CampaignEvent,
  },
  actors: {
    step: stepMachine,
    waitUntil: fromPromise<undefined, WaitUntilInput>(() =>
      Promise.reject(new Error('actor "waitUntil" was not provided')),
    ),
  },
  guards: {
    allSettled: ({ context }) => pending(context).length === 0,
    anyFailed: ({ context }) => Object.values(context.status).includes('failed'),
    failsCampaign: ({ context }) => context.spawned && context.onStepFailure === 'fail_campaign',
    rulesOpen: ({ context }) => monitoringEndsAt(context) !== undefined,
  },
  actions: {
    spawnSteps: enqueueActions(({ context, enqueue }) => {
      if (context.spawned) return;
      for (const step of context.steps) {
        enqueue.spawnChild('step', {
          id: stepActorId(step.id),
          input: { ...step, campaignId: context.campaignId, launchedAt: context.startsAt },
        });
      }
      enqueue.assign({ spawned: true });
    }),
    broadcast: enqueueActions(
      ({ context, enqueue }, params: { type: 'step.pause' | 'step.resume' | 'step.cancel' }) => {
        if (!context.spawned) return;
        for (const id of pending(context)) enqueue.sendTo(stepActorId(id), { type: params.type });
      },
    ),
    recordCompleted: enqueueActions(({ context, event, enqueue }) => {
      // Only step actors report, and they exist once spawned.
      if (event.type !== 'step.completed' || !context.spawned) return;
      enqueue.assign({
        status: { ...context.status, [event.stepId]: 'done' },
        results: { ...context.results, [event.stepId]: event.result },
      });
      for (const step of context.steps) {
        if (step.prerequisites.includes(event.stepId) && context.status[step.id] === 'pending') {
          enqueue.sendTo(stepActorId(step.id), {
            type: 'step.dependencyDone',
            step: event.stepId,
            result: event.result,
          });
        }
      }
    }),
    recordNotDone: enqueueActions(({ context, event, enqueue }) => {
      if ((event.type !== 'step.failed' && event.type !== 'step.skipped') || !context.spawned)
        return;
      enqueue.assign(
        event.type === 'step.failed'
          ? {
              status: { ...context.status, [event.stepId]: 'failed' },
              errors: { ...context.errors, [event.stepId]: event.error },
            }
          : {
              status: { ...context.status, [event.stepId]: 'skipped' },
              skipped: { ...context.skipped, [event.stepId]: event.reason },
            },
      );
      for (const step of context.steps) {
        if (step.prerequisites.includes(event.stepId) && context.status[step.id] === 'pending') {
          enqueue.sendTo(stepActorId(step.id), {
            type: 'step.dependencyFailed',
            step: event.stepId,
          });
        }
      }
    }),
    forwardToStep: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'step.pauseOne' && event.type !== 'step.resumeOne') return;
      if (context.status[event.stepId] !== 'pending') return;
      enqueue.sendTo(stepActorId(event.stepId), {
        type: event.type === 'step.pauseOne' ? 'step.pause' : 'step.resume',
      });
    }),
  },
}).createMachine({
  id: 'campaign',
  context: ({ input }) => ({
    ...input,
    status: Object.fromEntries(input.steps.map((s): [string, StepStatus] => [s.id, 'pending'])),
    results: {},
    errors: {},
    skipped: {},
    spawned: false,
  }),
  initial: 'draft',
  on: {
    'campaign.cancel': {
      target: '.cancelled',
      actions: { type: 'broadcast', params: { type: 'step.cancel' } },
    },
  },
  states: {
    draft: { on: { 'campaign.schedule': 'scheduled' } },
    scheduled: {
      entry: enqueueActions(({ context, enqueue }) => {
        enqueue.spawnChild('waitUntil', {
          id: 'start',
          input: {
            campaignId: context.campaignId,
            key: 'campaign:start',
            deadline: context.startsAt,
            description: 'campaign starts',
          },
        });
      }),
      exit: stopChild('start'),
      on: {
        'campaign.pause': 'paused',
        'xstate.done.actor.start': 'running',
        'xstate.error.actor.start': 'failed',
      },
    },
    running: {
      entry: 'spawnSteps',
      always: settle,
      on: {
        ...stepReports,
        'step.pauseOne': { actions: 'forwardToStep' },
        'step.resumeOne': { actions: 'forwardToStep' },
        'campaign.pause': {
          target: 'paused',
          actions: { type: 'broadcast', params: { type: 'step.pause' } },
        },
      },
    },
    paused: {
      always: settle,
      on: {
        ...stepReports,
        'campaign.resume': [
          { guard: ({ context }) => !context.spawned, target: 'scheduled' },
          { target: 'running', actions: { type: 'broadcast', params: { type: 'step.resume' } } },
        ],
      },
    },
    monitoring: {
      entry: enqueueActions(({ context, enqueue }) => {
        const until = new Date(monitoringEndsAt(context)!).toISOString();
        enqueue.spawnChild('waitUntil', {
          id: 'monitor',
          input: {
            campaignId: context.campaignId,
            key: 'campaign:monitoring',
            deadline: until,
            description: `monitoring until ${until}`,
          },
        });
      }),
      exit: stopChild('monitor'),
      on: {
        'xstate.done.actor.monitor': 'completed',
        'xstate.error.actor.monitor': 'failed',
      },
    },
    completed: { type: 'final' },
    failed: { type: 'final' },
    cancelled: { type: 'final' },
  },
});
