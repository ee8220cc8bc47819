import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Recipient } from '../../src/connectors/connector.js';
import {
  DAY_MS,
  MINUTE_MS,
  parseLocalDate,
  parseLocalTime,
  wallTime,
} from '../../src/schedule/civil-date.js';
import { planStep } from '../../src/schedule/plan-step.js';
import { wallTimeAt } from '../../src/schedule/zone-offset.js';
import { campaignWith } from './campaign-fixture.js';
import { instantsShowing } from './zone-transitions.js';

const ZONES = Intl.supportedValuesOf('timeZone');
const day = fc.integer({ min: parseLocalDate('2020-01-01'), max: parseLocalDate('2037-12-31') });
const minute = fc.integer({ min: 0, max: 24 * 60 - 1 });
const people = fc.array(fc.option(fc.constantFrom(...ZONES, 'Not/AZone'), { nil: undefined }), {
  minLength: 1,
  maxLength: 40,
});

const dateText = (d: number): string => new Date(d * DAY_MS).toISOString().slice(0, 10);
const timeText = (m: number): string =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

describe('planStep laws', () => {
  it('puts every recipient in exactly one wave, at the requested local time or its documented substitute', () => {
    fc.assert(
      fc.property(
        people,
        day,
        minute,
        fc.constantFrom<'first' | 'second'>('first', 'second'),
        (zones, d, m, overlap) => {
          const recipients: Recipient[] = zones.map((zone, i) =>
            zone === undefined ? { id: `r${i}` } : { id: `r${i}`, zone },
          );
          const spec = campaignWith(
            { kind: 'recipient_local', date: dateText(d), time: timeText(m) },
            { defaultZone: 'America/New_York', compliance: { dstOverlap: overlap } },
          );
          const plan = planStep({ spec, step: spec.steps[0]!, now: 0, recipients });
          if (!plan.success) throw new Error('plan failed');
          const seen = plan.data.flatMap((w) => w.recipients.map((r) => r.id));
          expect(seen.sort()).toEqual(recipients.map((r) => r.id).sort());
          const wall = wallTime(parseLocalDate(dateText(d)), parseLocalTime(timeText(m)));
          for (let i = 1; i < plan.data.length; i++)
            expect(plan.data[i]!.at).toBeGreaterThan(plan.data[i - 1]!.at);
          for (const wave of plan.data) {
            for (const r of wave.recipients) {
              const zone =
                r.zone === undefined || r.zone === 'Not/AZone' ? 'America/New_York' : r.zone;
              const exact = instantsShowing(zone, wall);
              if (exact.length === 0) {
                // Gap: the end of the gap, the first instant after it.
                expect(wallTimeAt(zone, wave.at)).toBeGreaterThan(wall);
                expect(wallTimeAt(zone, wave.at - 1000)).toBeLessThan(wall);
              } else {
                expect(wave.at).toBe(overlap === 'first' ? exact[0] : exact[exact.length - 1]);
              }
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('lands a relative step at or after anchor + offset, on the snap time when one is given', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2037, 0, 1) }),
        minute,
        fc.integer({ min: 0, max: 72 }),
        (zone, anchor, m, hours) => {
          const spec = campaignWith({
            kind: 'relative',
            after: 'post',
            offset: `PT${hours}H`,
            time: timeText(m),
            zone,
          });
          const plan = planStep({
            spec,
            step: spec.steps[0]!,
            now: 0,
            recipients: [],
            anchorDoneAt: anchor,
          });
          if (!plan.success) throw new Error('plan failed');
          const at = plan.data[0]!.at;
          expect(at).toBeGreaterThanOrEqual(anchor + hours * 3_600_000);
          expect(at - (anchor + hours * 3_600_000)).toBeLessThanOrEqual(DAY_MS + 3 * 3_600_000);
          const shown = wallTimeAt(zone, at);
          const shownMinute = (shown - Math.floor(shown / DAY_MS) * DAY_MS) / MINUTE_MS;
          if (shownMinute !== m)
            expect(
              instantsShowing(zone, Math.floor(shown / DAY_MS) * DAY_MS + m * MINUTE_MS),
            ).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives every recipient each occurrence of a recipient-local recurrence exactly once', () => {
    fc.assert(
      fc.property(
        people,
        day,
        minute,
        fc.constantFrom(
          'daily',
          'weekdays',
          'weekly:MO,FR',
          'biweekly:SU',
          'monthly:31',
          'monthly:last-FR',
        ),
        fc.integer({ min: 1, max: 15 }),
        (zones, d, m, recurrence, count) => {
          const recipients: Recipient[] = zones.map((zone, i) =>
            zone === undefined ? { id: `r${i}` } : { id: `r${i}`, zone },
          );
          const spec = campaignWith({
            kind: 'recurring',
            recurrence,
            start: dateText(d),
            time: timeText(m),
            recipientLocal: true,
            count,
          });
          const plan = planStep({ spec, step: spec.steps[0]!, now: 0, recipients });
          if (!plan.success) throw new Error('plan failed');
          const got = plan.data
            .flatMap((w) => w.recipients.map((r) => `${r.id}#${w.occurrence}`))
            .sort();
          const want = recipients
            .flatMap((r) => Array.from({ length: count }, (_, k) => `${r.id}#${k}`))
            .sort();
          expect(got).toEqual(want);
        },
      ),
      { numRuns: 200 },
    );
  });
});
