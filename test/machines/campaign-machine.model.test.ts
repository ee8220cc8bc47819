import { describe, expect, it } from 'vitest';
import { createMachine } from 'xstate';
import { createTestModel } from 'xstate/graph';
import { campaignHarness } from './campaign-harness.js';

/**
 * The campaign chart as a user sees it. `createTestModel` refuses machines with invoke or
 * delays, so this abstract model generates the paths and each path drives the real actor.
 */
const model = createMachine({
  id: 'campaignModel',
  initial: 'draft',
  states: {
    draft: { on: { SCHEDULE: 'scheduled', CANCEL: 'cancelled' } },
    scheduled: { on: { START: 'running', PAUSE: 'pausedEarly', CANCEL: 'cancelled' } },
    pausedEarly: { on: { RESUME: 'scheduled', CANCEL: 'cancelled' } },
    running: {
      on: { PAUSE: 'paused', CANCEL: 'cancelled', FINISH_ALL: 'completed', FAIL_STEP: 'failed' },
    },
    paused: { on: { RESUME: 'running', CANCEL: 'cancelled' } },
    completed: { type: 'final' },
    failed: { type: 'final' },
    cancelled: { type: 'final' },
  },
});

const REAL_STATE: Record<string, string> = { pausedEarly: 'paused' };

describe('campaign chart (model-based)', () => {
  const paths = createTestModel(model).getSimplePaths();

  it('covers every transition of the model', () => {
    const covered = new Set(
      paths.flatMap((p) =>
        p.steps.slice(1).map((s, i) => `${String(p.steps[i]!.state.value)}:${s.event.type}`),
      ),
    );
    const all = Object.entries(model.config.states!).flatMap(([state, config]) =>
      Object.keys((config as { on?: object }).on ?? {}).map((event) => `${state}:${event}`),
    );
    expect(all.filter((t) => !covered.has(t))).toEqual([]);
  });

  for (const path of paths) {
    it(`reaches ${String(path.state.value)} via ${path.steps.map((s) => s.event.type).join(' → ') || '(start)'}`, async () => {
      const h = campaignHarness();
      await path.test({
        states: Object.fromEntries(
          [
            'draft',
            'scheduled',
            'pausedEarly',
            'running',
            'paused',
            'completed',
            'failed',
            'cancelled',
          ].map((s) => [
            s,
            () => {
              expect(h.actor.getSnapshot().value).toBe(REAL_STATE[s] ?? s);
            },
          ]),
        ),
        events: {
          SCHEDULE: () => h.send('campaign.schedule'),
          START: () => h.start(),
          PAUSE: () => h.send('campaign.pause'),
          RESUME: () => h.send('campaign.resume'),
          CANCEL: () => h.send('campaign.cancel'),
          FINISH_ALL: async () => {
            await h.finish('a');
            await h.finish('c');
            await h.finish('b');
          },
          FAIL_STEP: () => h.fail('a'),
        },
      });
      h.actor.stop();
    });
  }
});
