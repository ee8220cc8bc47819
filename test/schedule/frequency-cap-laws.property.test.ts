import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyFrequencyCap, type SendRecord } from '../../src/schedule/frequency-cap.js';
import { parseIsoDuration, durationToMs } from '../../src/schedule/iso-duration.js';

const HOUR = 3_600_000;
const send = fc.record<SendRecord>({
  recipientId: fc.constantFrom('a', 'b', 'c'),
  channel: fc.constantFrom('sms', 'email'),
  at: fc.integer({ min: 0, max: 30 * 24 }).map((h) => h * HOUR + 17),
});
const cap = fc.record({
  max: fc.integer({ min: 1, max: 4 }),
  period: fc.constantFrom('PT1H', 'PT6H', 'P1D', 'P7D'),
  onExceed: fc.constantFrom<'defer' | 'drop'>('defer', 'drop'),
});

describe('frequency cap laws', () => {
  it('never lets a capped recipient exceed the cap in any window holding an admitted send', () => {
    fc.assert(
      fc.property(
        fc.array(send, { maxLength: 40 }),
        fc.array(send, { maxLength: 20 }),
        cap,
        (planned, history, c) => {
          const period = durationToMs(parseIsoDuration(c.period)!);
          const decisions = applyFrequencyCap(planned, history, c);
          expect(decisions).toHaveLength(planned.length);
          const admitted = decisions.filter((d) => d.status !== 'dropped').map((d) => d.send);
          for (const d of decisions) {
            if (d.status === 'deferred') expect(d.send.at).toBeGreaterThan(d.requestedAt);
            if (d.status === 'dropped') expect(c.onExceed).toBe('drop');
          }
          for (const s of admitted) {
            const same = [...history, ...admitted]
              .filter((x) => x.recipientId === s.recipientId && x.channel === s.channel)
              .map((x) => x.at);
            // Every window [start, start + period) that holds s.at holds at most `max` sends.
            for (const start of same.filter((t) => t <= s.at && t > s.at - period)) {
              expect(
                same.filter((t) => t >= start && t < start + period).length,
              ).toBeLessThanOrEqual(c.max);
            }
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
