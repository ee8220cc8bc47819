import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Recipient } from '../../src/connectors/connector.js';
import { DAY_MS, MINUTE_MS } from '../../src/schedule/civil-date.js';
import { isInWindow, sendWindowFor } from '../../src/schedule/send-window.js';
import {
  planOptimizedSends,
  type EngagementEvent,
} from '../../src/schedule/send-time-optimizer.js';
import { wallTimeAt } from '../../src/schedule/zone-offset.js';

const ZONES = Intl.supportedValuesOf('timeZone');
const hhmm = fc
  .integer({ min: 0, max: 24 * 60 - 1 })
  .map((m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);

describe('send-time optimisation laws', () => {
  it('plans every recipient once, inside the window, whatever their engagement', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...ZONES), { minLength: 1, maxLength: 20 }),
        fc.array(
          fc.record({
            who: fc.nat(19),
            at: fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2026, 0, 1) }),
            click: fc.boolean(),
          }),
          { maxLength: 80 },
        ),
        fc.record({ start: hhmm, end: hhmm }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 3650 }),
        (zones, events, quiet, defaultHour, offsetDays) => {
          const recipients: Recipient[] = zones.map((zone, i) => ({ id: `r${i}`, zone }));
          const engagements: EngagementEvent[] = events.map((e) => ({
            recipientId: `r${e.who}`,
            at: e.at,
            kind: e.click ? 'click' : 'open',
          }));
          const window = sendWindowFor('sms', undefined, quiet);
          const date = new Date(Date.UTC(2026, 0, 1) + offsetDays * DAY_MS)
            .toISOString()
            .slice(0, 10);
          const plan = planOptimizedSends({
            date,
            recipients,
            engagements,
            defaultHour,
            window,
            fallbackZone: 'UTC',
            segmentOf: (r) => String(Number(r.id.slice(1)) % 3),
            minWeight: 2,
          });
          if (!plan.success) throw new Error('plan failed');
          const seen = plan.data.flatMap((w) => w.recipients.map((r) => r.id)).sort();
          expect(seen).toEqual(recipients.map((r) => r.id).sort());
          if (window.length === 0) return;
          for (const wave of plan.data) {
            for (const r of wave.recipients) {
              const wall = wallTimeAt(r.zone!, wave.at);
              expect(
                isInWindow(window, (wall - Math.floor(wall / DAY_MS) * DAY_MS) / MINUTE_MS),
              ).toBe(true);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
