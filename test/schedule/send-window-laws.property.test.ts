import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Recipient } from '../../src/connectors/connector.js';
import { DAY_MS, MINUTE_MS } from '../../src/schedule/civil-date.js';
import { applySendWindows } from '../../src/schedule/defer-to-send-window.js';
import {
  CHANNELS,
  isInWindow,
  nextInstantInWindow,
  sendWindowFor,
} from '../../src/schedule/send-window.js';
import { wallTimeAt } from '../../src/schedule/zone-offset.js';

const ZONES = Intl.supportedValuesOf('timeZone');
const zone = fc.constantFrom(...ZONES);
const instant = fc
  .integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2037, 11, 31) })
  .map((t) => Math.floor(t / MINUTE_MS) * MINUTE_MS);
const hhmm = fc
  .integer({ min: 0, max: 24 * 60 - 1 })
  .map((m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);
const quietHours = fc.option(fc.record({ start: hhmm, end: hhmm }), { nil: undefined });
const region = fc.constantFrom(undefined, 'US-FL', 'US-OK', 'DE');
const channel = fc.constantFrom(...CHANNELS);

const localMinute = (z: string, at: number): number => {
  const wall = wallTimeAt(z, at);
  return (wall - Math.floor(wall / DAY_MS) * DAY_MS) / MINUTE_MS;
};

describe('quiet hours laws', () => {
  it('never plans inside quiet hours or outside the window, and defers to the earliest opening', () => {
    fc.assert(
      fc.property(zone, instant, channel, region, quietHours, (z, at, c, r, quiet) => {
        const window = sendWindowFor(c, r, quiet);
        const next = nextInstantInWindow(at, z, window);
        if (window.length === 0) {
          expect(next).toBeUndefined();
          return;
        }
        expect(next).toBeDefined();
        expect(next!).toBeGreaterThanOrEqual(at);
        expect(isInWindow(window, localMinute(z, next!))).toBe(true);
        if (isInWindow(window, localMinute(z, at))) expect(next).toBe(at);
        else
          expect(
            next! - MINUTE_MS < at || !isInWindow(window, localMinute(z, next! - MINUTE_MS)),
          ).toBe(true);
        if (quiet !== undefined && quiet.start !== quiet.end) {
          const m = localMinute(z, next!);
          const [s, e] = [quiet.start, quiet.end].map(
            (t) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3)),
          );
          const inQuiet = s! < e! ? m >= s! && m < e! : m >= s! || m < e!;
          expect(inQuiet).toBe(false);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps every recipient, each in its window after deferral', () => {
    const recipient = fc.record({
      id: fc.string({ maxLength: 4 }),
      zone: fc.option(zone, { nil: undefined }),
    });
    fc.assert(
      fc.property(
        fc.array(recipient, { maxLength: 30 }),
        instant,
        quietHours,
        (people, at, quiet) => {
          const recipients: Recipient[] = people.map((p) =>
            p.zone === undefined ? { id: p.id } : { id: p.id, zone: p.zone },
          );
          const result = applySendWindows([{ at, recipients, occurrence: 0, label: 'x' }], {
            channel: 'sms',
            fallbackZone: 'UTC',
            ...(quiet === undefined ? {} : { quietHours: quiet }),
          });
          const window = sendWindowFor('sms', undefined, quiet);
          const sent = result.waves.flatMap((w) => w.recipients);
          expect(sent.length + result.blocked.length).toBe(recipients.length);
          for (const wave of result.waves) {
            expect(wave.at).toBeGreaterThanOrEqual(at);
            for (const r of wave.recipients)
              expect(isInWindow(window, localMinute(r.zone ?? 'UTC', wave.at))).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
