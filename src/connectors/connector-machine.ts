/**
 * @module
 * The connector's health chart: `idle → authenticating → ready ⇄ throttled → backoff →
 * circuitOpen → halfOpen`. Pure: the HTTP client sends it events and reads its state before
 * every request; times arrive in events, never from a clock.
 */
import { assign, setup } from 'xstate';

/** Counters a connector keeps for health inspection. */
export interface ConnectorCounters {
  readonly requests: number;
  readonly successes: number;
  readonly failures: number;
  readonly consecutiveFailures: number;
  readonly rateLimited: number;
  readonly authentications: number;
}

/** Context of {@link connectorMachine}. JSON only. */
export interface ConnectorMachineContext {
  readonly counters: ConnectorCounters;
  /** Consecutive failures that open the circuit. */
  readonly failureThreshold: number;
  /** Epoch ms when the circuit opened, while it is open. */
  readonly openedAt: number | undefined;
  /** Epoch ms until which the server asked for a pause, while throttled. */
  readonly throttledUntil: number | undefined;
  /** Last error summary, never a credential. */
  readonly lastError: { readonly code: string; readonly message: string } | undefined;
}

/** Input of {@link connectorMachine}. */
export interface ConnectorMachineInput {
  /** Consecutive failures that open the circuit. */
  readonly failureThreshold: number;
}

/** Events the HTTP client sends. */
export type ConnectorMachineEvent =
  | { readonly type: 'connector.start' }
  | { readonly type: 'auth.succeeded' }
  | { readonly type: 'auth.failed'; readonly code: string; readonly message: string }
  | { readonly type: 'auth.expired' }
  | { readonly type: 'request.sent' }
  | { readonly type: 'request.succeeded' }
  | {
      readonly type: 'request.failed';
      readonly code: string;
      readonly message: string;
      readonly at: number;
    }
  | { readonly type: 'rate.limited'; readonly until: number }
  | { readonly type: 'rate.resumed' }
  | { readonly type: 'backoff.elapsed' }
  | { readonly type: 'circuit.probe' };

const zeroCounters: ConnectorCounters = {
  requests: 0,
  successes: 0,
  failures: 0,
  consecutiveFailures: 0,
  rateLimited: 0,
  authentications: 0,
};

/**
 * The connector health machine.
 * @example
 * const actor = createActor(connectorMachine, { input: { failureThreshold: 3 } }).start();
 * actor.send({ type: 'connector.start' });
 */
export const connectorMachine = setup({
  types: {
    context: {} as ConnectorMachineContext,
    events: {} as ConnectorMachineEvent,
    input: {} as ConnectorMachineInput,
  },
  guards: {
    reachesFailureThreshold: ({ context }) =>
      context.counters.consecutiveFailures + 1 >= context.failureThreshold,
  },
  actions: {
    countRequest: assign({
      counters: ({ context }) => ({ ...context.counters, requests: context.counters.requests + 1 }),
    }),
    recordSuccess: assign({
      counters: ({ context }) => ({
        ...context.counters,
        successes: context.counters.successes + 1,
        consecutiveFailures: 0,
      }),
      openedAt: undefined,
      throttledUntil: undefined,
    }),
    recordFailure: assign({
      counters: ({ context }) => ({
        ...context.counters,
        failures: context.counters.failures + 1,
        consecutiveFailures: context.counters.consecutiveFailures + 1,
      }),
      lastError: ({ event }) =>
        event.type === 'request.failed' || event.type === 'auth.failed'
          ? { code: event.code, message: event.message }
          : undefined,
    }),
    openCircuit: assign({
      openedAt: ({ event }) => (event.type === 'request.failed' ? event.at : undefined),
    }),
    recordThrottle: assign({
      counters: ({ context }) => ({
        ...context.counters,
        rateLimited: context.counters.rateLimited + 1,
      }),
      throttledUntil: ({ event }) => (event.type === 'rate.limited' ? event.until : undefined),
    }),
    countAuthentication: assign({
      counters: ({ context }) => ({
        ...context.counters,
        authentications: context.counters.authentications + 1,
      }),
    }),
  },
}).createMachine({
  id: 'connector',
  initial: 'idle',
  context: ({ input }) => ({
    counters: zeroCounters,
    failureThreshold: input.failureThreshold,
    openedAt: undefined,
    throttledUntil: undefined,
    lastError: undefined,
  }),
  on: { 'request.sent': { actions: 'countRequest' } },
  states: {
    idle: { on: { 'connector.start': 'authenticating' } },
    authenticating: {
      on: {
        'auth.succeeded': { target: 'ready', actions: 'countAuthentication' },
        'auth.failed': { target: 'idle', actions: 'recordFailure' },
      },
    },
    ready: {
      on: {
        'request.succeeded': { actions: 'recordSuccess' },
        'request.failed': [
          {
            guard: 'reachesFailureThreshold',
            target: 'circuitOpen',
            actions: ['recordFailure', 'openCircuit'],
          },
          { target: 'backoff', actions: 'recordFailure' },
        ],
        'rate.limited': { target: 'throttled', actions: 'recordThrottle' },
        'auth.expired': 'authenticating',
      },
    },
    throttled: {
      on: {
        'rate.resumed': 'ready',
        'rate.limited': { actions: 'recordThrottle' },
        'request.succeeded': { target: 'ready', actions: 'recordSuccess' },
        'request.failed': { target: 'backoff', actions: 'recordFailure' },
      },
    },
    backoff: {
      on: {
        'backoff.elapsed': 'ready',
        'request.succeeded': { target: 'ready', actions: 'recordSuccess' },
        'request.failed': [
          {
            guard: 'reachesFailureThreshold',
            target: 'circuitOpen',
            actions: ['recordFailure', 'openCircuit'],
          },
          { actions: 'recordFailure' },
        ],
        'rate.limited': { target: 'throttled', actions: 'recordThrottle' },
      },
    },
    circuitOpen: { on: { 'circuit.probe': 'halfOpen' } },
    halfOpen: {
      on: {
        'request.succeeded': { target: 'ready', actions: 'recordSuccess' },
        'request.failed': { target: 'circuitOpen', actions: ['recordFailure', 'openCircuit'] },
      },
    },
  },
});
