import { describe, expect, it } from 'vitest';
import { assign, createActor, setup, type Actor } from 'xstate';
import { createTestModel } from 'xstate/graph';
import {
  connectorMachine,
  type ConnectorMachineEvent,
} from '../../src/connectors/connector-machine.js';

const THRESHOLD = 2;

/** Abstract model of the chart: states plus the consecutive-failure count, nothing else. */
const model = setup({
  types: {
    context: {} as { failures: number },
    events: {} as
      | { type: 'START' }
      | { type: 'AUTH_OK' }
      | { type: 'AUTH_FAIL' }
      | { type: 'EXPIRED' }
      | { type: 'OK' }
      | { type: 'FAIL' }
      | { type: 'LIMIT' }
      | { type: 'RESUME' }
      | { type: 'ELAPSED' }
      | { type: 'PROBE' },
  },
  guards: { opens: ({ context }) => context.failures + 1 >= THRESHOLD },
  actions: {
    fail: assign({ failures: ({ context }) => Math.min(context.failures + 1, THRESHOLD) }),
    reset: assign({ failures: 0 }),
  },
}).createMachine({
  initial: 'idle',
  context: { failures: 0 },
  states: {
    idle: { on: { START: 'authenticating' } },
    authenticating: { on: { AUTH_OK: 'ready', AUTH_FAIL: { target: 'idle', actions: 'fail' } } },
    ready: {
      on: {
        OK: { actions: 'reset' },
        FAIL: [
          { guard: 'opens', target: 'circuitOpen', actions: 'fail' },
          { target: 'backoff', actions: 'fail' },
        ],
        LIMIT: 'throttled',
        EXPIRED: 'authenticating',
      },
    },
    throttled: {
      on: {
        RESUME: 'ready',
        OK: { target: 'ready', actions: 'reset' },
        FAIL: { target: 'backoff', actions: 'fail' },
      },
    },
    backoff: {
      on: {
        ELAPSED: 'ready',
        OK: { target: 'ready', actions: 'reset' },
        FAIL: [{ guard: 'opens', target: 'circuitOpen', actions: 'fail' }, { actions: 'fail' }],
        LIMIT: 'throttled',
      },
    },
    circuitOpen: { on: { PROBE: 'halfOpen' } },
    halfOpen: {
      on: {
        OK: { target: 'ready', actions: 'reset' },
        FAIL: { target: 'circuitOpen', actions: 'fail' },
      },
    },
  },
});

const real: Record<string, ConnectorMachineEvent> = {
  START: { type: 'connector.start' },
  AUTH_OK: { type: 'auth.succeeded' },
  AUTH_FAIL: { type: 'auth.failed', code: 'auth_expired', message: 'no' },
  EXPIRED: { type: 'auth.expired' },
  OK: { type: 'request.succeeded' },
  FAIL: { type: 'request.failed', code: 'transient', message: 'HTTP 503', at: 1000 },
  LIMIT: { type: 'rate.limited', until: 5000 },
  RESUME: { type: 'rate.resumed' },
  ELAPSED: { type: 'backoff.elapsed' },
  PROBE: { type: 'circuit.probe' },
};

describe('connectorMachine', () => {
  const paths = createTestModel(model).getShortestPaths({ allowDuplicatePaths: true });

  it('has a path to every state of the chart', () => {
    const states = new Set(paths.map((p) => p.state.value as string));
    expect([...states].sort()).toEqual([
      'authenticating',
      'backoff',
      'circuitOpen',
      'halfOpen',
      'idle',
      'ready',
      'throttled',
    ]);
  });

  for (const path of paths) {
    it(`reaches ${path.description}`, async () => {
      const actor: Actor<typeof connectorMachine> = createActor(connectorMachine, {
        input: { failureThreshold: THRESHOLD },
      }).start();
      await path.test({
        states: {
          '*': (state) => {
            const snapshot = actor.getSnapshot();
            expect(snapshot.value).toBe(state.value);
            const failures = snapshot.context.counters.consecutiveFailures;
            expect(Math.min(failures, THRESHOLD)).toBe(state.context.failures);
          },
        },
        events: Object.fromEntries(
          Object.entries(real).map(([type, event]) => [
            type,
            () => {
              actor.send(event);
            },
          ]),
        ),
      });
    });
  }

  it('records counters and the last error while it runs', () => {
    const actor = createActor(connectorMachine, { input: { failureThreshold: 3 } }).start();
    for (const type of ['START', 'AUTH_OK', 'FAIL', 'LIMIT', 'OK'] as const)
      actor.send(real[type]!);
    actor.send({ type: 'request.sent' });
    expect(actor.getSnapshot().context).toMatchObject({
      counters: { requests: 1, successes: 1, failures: 1, rateLimited: 1, authentications: 1 },
      lastError: { code: 'transient', message: 'HTTP 503' },
    });
  });
});
