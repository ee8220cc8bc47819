/**
 * Model-based tests of the shipped charts: `createTestModel` from `xstate/graph` runs on the
 * real campaign and step charts (no hand-written model), and every path it generates drives a
 * real actor of the same chart whose children are left idle — the path's events stand in for
 * what those children would report.
 */
import { describe, expect, it } from 'vitest';
import { createActor, createMachine, type AnyActorRef, type EventObject } from 'xstate';
import { createTestModel } from 'xstate/graph';
import { idleCampaignMachine, idleStepMachine } from '../../src/machines/idle-charts.js';
import type { StepResult } from '../../src/machines/machine-types.js';
import { stepMachine } from '../../src/machines/step-machine.js';
import { HARNESS_INPUT } from './campaign-harness.js';

const at = HARNESS_INPUT.startsAt;
const result: StepResult = { accepted: 1, unknown: 0, suppressed: 0, outputs: {}, finishedAt: at };
const error = (retryable: boolean) => ({ code: 'refused', message: 'no', retryable, at });

/** Every state node of a chart, as `#id` paths the test model can match. */
function stateIds(machine: typeof stepMachine): string[] {
  const ids: string[] = [];
  const walk = (node: { id: string; states: Record<string, unknown>; type: string }) => {
    if (node.type !== 'history') ids.push(node.id);
    for (const child of Object.values(node.states)) walk(child as typeof node);
  };
  walk(machine.root);
  return ids;
}

describe('campaign chart (model-based, the shipped chart)', () => {
  const chart = idleCampaignMachine;
  const model = createTestModel(chart, {
    events: [
      ...['a', 'b', 'c'].map((stepId) => ({ type: 'step.completed' as const, stepId, result })),
      { type: 'step.failed', stepId: 'a', error: error(false) },
      { type: 'step.skipped', stepId: 'b', reason: 'prerequisite "a" did not complete' },
      { type: 'step.pauseOne', stepId: 'c' },
      { type: 'step.resumeOne', stepId: 'c' },
    ],
  });
  // A finished campaign takes no more events: paths end there.
  const paths = model.getShortestPaths({
    input: HARNESS_INPUT,
    stopWhen: (state: { status: string }) => state.status === 'done',
  });

  it('reaches every state of the chart', () => {
    const reached = new Set(paths.flatMap((p) => p.steps.map((s) => s.state.value)));
    expect([...reached].sort()).toEqual(
      ['draft', 'scheduled', 'running', 'paused', 'completed', 'failed', 'cancelled'].sort(),
    );
  });

  it(`follows each of its ${String(paths.length)} shortest paths`, async () => {
    for (const path of paths) {
      const actor = createActor(chart, { input: HARNESS_INPUT }).start();
      await path.test({
        events: Object.fromEntries(
          path.steps
            .slice(1)
            .map((s) => [
              s.event.type,
              ({ event }: { event: EventObject }) => actor.send(event as never),
            ]),
        ),
        states: {
          '*': (state) => {
            expect(actor.getSnapshot().value).toEqual(state.value);
            expect(actor.getSnapshot().context.status).toEqual(state.context.status);
          },
        },
      });
      actor.stop();
    }
  });
});

describe('step chart (model-based, the shipped chart)', () => {
  const input = {
    ...HARNESS_INPUT.steps[1]!,
    retry: { ...HARNESS_INPUT.steps[1]!.retry, maximumAttempts: 2 },
    campaignId: 'harness',
    launchedAt: at,
  };
  const chart = idleStepMachine;
  const model = createTestModel(chart, {
    events: [
      { type: 'step.dependencyDone', step: 'a', result },
      { type: 'step.dependencyFailed', step: 'a' },
      { type: 'xstate.done.actor.plan', output: { firstAt: at, waves: 1, recipients: 3 } },
      { type: 'xstate.done.actor.plan', output: { firstAt: null, waves: 0, recipients: 0 } },
      { type: 'xstate.done.actor.delivery', output: { result } },
      { type: 'xstate.done.actor.delivery', output: { error: error(true) } },
      { type: 'xstate.done.actor.delivery', output: { error: error(false) } },
      { type: 'xstate.error.actor.plan', error: error(false) },
    ],
  });
  const paths = model.getShortestPaths({ input });

  it('reaches every state of the chart', () => {
    const reached = new Set(
      paths.flatMap((p) =>
        p.steps.flatMap((s) =>
          stateIds(stepMachine).filter((id) => s.state.matches(id.replace(/^step\./, '') as never)),
        ),
      ),
    );
    expect(stateIds(stepMachine).filter((id) => id !== 'step' && !reached.has(id))).toEqual([]);
  });

  it(`follows each of its ${String(paths.length)} shortest paths, reporting to its campaign`, async () => {
    for (const path of paths) {
      // The step reports to a parent: a bare one that records what it hears.
      const heard: string[] = [];
      const parent = createActor(
        createMachine({
          invoke: { id: 'step', src: chart, input },
          on: { '*': { actions: ({ event }) => heard.push(event.type) } },
        }),
      ).start();
      const step = parent.getSnapshot().children.step as AnyActorRef;
      await path.test({
        events: Object.fromEntries(
          path.steps
            .slice(1)
            .map((s) => [s.event.type, ({ event }: { event: EventObject }) => step.send(event)]),
        ),
        states: {
          '*': (state) => expect(step.getSnapshot().value).toEqual(state.value),
        },
      });
      const end = String(path.state.value);
      if (['done', 'failed', 'skipped'].includes(end))
        expect(heard).toContain(`step.${end === 'done' ? 'completed' : end}`);
      parent.stop();
    }
  });
});
