import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { initialTransition, transition } from 'xstate';
import { connectorMachine, type ConnectorMachineEvent } from './connector-machine.js';

const event: fc.Arbitrary<ConnectorMachineEvent> = fc.oneof(
  fc.constant({ type: 'connector.start' } as const),
  fc.constant({ type: 'auth.succeeded' } as const),
  fc.constant({ type: 'auth.failed', code: 'auth_expired', message: 'x' } as const),
  fc.constant({ type: 'auth.expired' } as const),
  fc.constant({ type: 'request.sent' } as const),
  fc.constant({ type: 'request.succeeded' } as const),
  fc
    .integer({ min: 0, max: 1e6 })
    .map((at) => ({ type: 'request.failed', code: 'transient', message: 'x', at }) as const),
  fc.integer({ min: 0, max: 1e6 }).map((until) => ({ type: 'rate.limited', until }) as const),
  fc.constant({ type: 'rate.resumed' } as const),
  fc.constant({ type: 'backoff.elapsed' } as const),
  fc.constant({ type: 'circuit.probe' } as const),
);

describe('connectorMachine invariants', () => {
  it('opens the circuit only at the failure threshold and only leaves it through halfOpen', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.array(event, { maxLength: 60 }),
        (threshold, events) => {
          let [snapshot] = initialTransition(connectorMachine, { failureThreshold: threshold });
          for (const e of events) {
            const before = snapshot;
            [snapshot] = transition(connectorMachine, snapshot, e);
            const { counters, openedAt } = snapshot.context;
            expect(counters.consecutiveFailures).toBeLessThanOrEqual(counters.failures);
            if (snapshot.matches('circuitOpen') && !before.matches('circuitOpen')) {
              expect(before.matches('halfOpen') || counters.consecutiveFailures >= threshold).toBe(
                true,
              );
              expect(openedAt).toBeDefined();
            }
            if (before.matches('circuitOpen') && !snapshot.matches('circuitOpen')) {
              expect(snapshot.value).toBe('halfOpen');
            }
            if (snapshot.matches('ready') && e.type === 'request.succeeded') {
              expect(counters.consecutiveFailures).toBe(0);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
