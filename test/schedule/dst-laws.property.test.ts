import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY_MS, MINUTE_MS, daysFromCivil, wallTime } from '../../src/schedule/civil-date.js';
import {
  localTimeResolver,
  resolveLocalTime,
  type DstPolicy,
} from '../../src/schedule/dst-policy.js';
import { planZoneOccurrences } from '../../src/schedule/zone-occurrences.js';
import { wallTimeAt } from '../../src/schedule/zone-offset.js';
import { instantsShowing, transitionsIn } from './zone-transitions.js';

const ZONES = Intl.supportedValuesOf('timeZone');
const FROM = daysFromCivil(2020, 1, 1);
const TO = daysFromCivil(2037, 12, 31);

const zone = fc.constantFrom(...ZONES);
const policy = fc.record<DstPolicy>({
  gap: fc.constantFrom('shift_forward', 'skip', 'error'),
  overlap: fc.constantFrom('first', 'second'),
});
const minuteOfDay = fc.integer({ min: 0, max: 24 * 60 - 1 });

/** A wall time within three hours of one of the zone's transitions in a random year, or anywhere. */
const nearTransition = fc
  .tuple(zone, fc.integer({ min: 2020, max: 2037 }), fc.nat(), fc.integer({ min: -180, max: 180 }))
  .map(([z, year, pick, minutes]) => {
    const transitions = transitionsIn(z, Date.UTC(year, 0, 1), Date.UTC(year + 1, 0, 1));
    const t = transitions[pick % Math.max(1, transitions.length)];
    const base = t === undefined ? Date.UTC(year, pick % 12, 1 + (pick % 28)) : t.at + t.before;
    return { zone: z, wall: Math.floor((base + minutes * MINUTE_MS) / MINUTE_MS) * MINUTE_MS };
  });

const anywhere = fc
  .tuple(zone, fc.integer({ min: FROM, max: TO }), minuteOfDay)
  .map(([z, day, minutes]) => ({ zone: z, wall: wallTime(day, minutes) }));

describe('resolveLocalTime laws', () => {
  it('shows the requested local time, or the documented substitute, in every zone', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(fc.oneof(nearTransition, anywhere), policy, ({ zone: z, wall }, p) => {
        const oracle = instantsShowing(z, wall);
        const resolved = resolveLocalTime(z, wall, p);
        seen.add(resolved.status);
        switch (resolved.status) {
          case 'exact':
            expect(oracle).toEqual([resolved.at]);
            expect(wallTimeAt(z, resolved.at)).toBe(wall);
            break;
          case 'overlap':
            expect(oracle).toHaveLength(2);
            expect(resolved.at).toBe(p.overlap === 'first' ? oracle[0] : oracle[1]);
            expect(resolved.other).toBe(p.overlap === 'first' ? oracle[1] : oracle[0]);
            break;
          case 'shifted':
            // The substitute is the transition: the first instant after the gap.
            expect(oracle).toEqual([]);
            expect(p.gap).toBe('shift_forward');
            expect(wallTimeAt(z, resolved.at)).toBeGreaterThan(wall);
            expect(wallTimeAt(z, resolved.at) - wall).toBeLessThanOrEqual(resolved.gapMs);
            expect(wallTimeAt(z, resolved.at - 1000)).toBeLessThan(wall);
            break;
          case 'skipped':
          case 'nonexistent':
            expect(oracle).toEqual([]);
            expect(p.gap).toBe(resolved.status === 'skipped' ? 'skip' : 'error');
            break;
        }
      }),
      { numRuns: 3000 },
    );
    expect([...seen].sort()).toEqual(['exact', 'nonexistent', 'overlap', 'shifted', 'skipped']);
  });

  it('resolves the middle of every gap and overlap of 2026 in every zone', () => {
    let gaps = 0;
    let overlaps = 0;
    for (const z of ZONES) {
      for (const t of transitionsIn(z, Date.UTC(2026, 0, 1), Date.UTC(2027, 0, 1))) {
        const mid = t.at + Math.floor((t.before + t.after) / 2 / MINUTE_MS) * MINUTE_MS;
        const resolved = resolveLocalTime(z, mid, { gap: 'shift_forward', overlap: 'second' });
        if (t.after > t.before) {
          gaps++;
          expect(resolved, `${z} ${new Date(t.at).toISOString()}`).toEqual({
            status: 'shifted',
            at: t.at,
            gapMs: t.after - t.before,
          });
        } else {
          overlaps++;
          expect(resolved, `${z} ${new Date(t.at).toISOString()}`).toMatchObject({
            status: 'overlap',
            at: mid - t.after,
            other: mid - t.before,
          });
        }
      }
    }
    expect(gaps).toBeGreaterThan(100);
    expect(overlaps).toBeGreaterThan(100);
  });
});

describe('localTimeResolver', () => {
  it('resolves a run of wall times exactly as resolveLocalTime does', () => {
    fc.assert(
      fc.property(
        fc.oneof(nearTransition, anywhere),
        policy,
        fc.array(fc.integer({ min: 1, max: 3 * 24 * 60 }), { minLength: 1, maxLength: 12 }),
        ({ zone: z, wall }, p, steps) => {
          const resolve = localTimeResolver(z, p);
          let current = wall - 5 * DAY_MS;
          for (const minutes of steps) {
            current += minutes * MINUTE_MS;
            expect(resolve(current)).toEqual(resolveLocalTime(z, current, p));
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('daily recurrence laws', () => {
  it('fires exactly once on every local day, across DST changes, in every zone', () => {
    const firstPolicy = fc.record<DstPolicy>({
      gap: fc.constant('shift_forward'),
      overlap: fc.constantFrom('first', 'second'),
    });
    fc.assert(
      fc.property(
        zone,
        fc.integer({ min: FROM, max: TO - 60 }),
        minuteOfDay,
        fc.integer({ min: 1, max: 60 }),
        firstPolicy,
        (z, startDay, minutes, count, p) => {
          const planned = planZoneOccurrences(
            {
              kind: 'recurring',
              recurrence: 'daily',
              start: dateText(startDay),
              time: timeText(minutes),
              zone: z,
              recipientLocal: false,
              count,
            },
            z,
            p,
            [],
          );
          if (!planned.success) throw new Error('planning failed');
          const localDays = planned.data.map((o) => Math.floor(wallTimeAt(z, o.at) / DAY_MS));
          expect(localDays).toEqual(Array.from({ length: count }, (_, i) => startDay + i));
          expect(new Set(planned.data.map((o) => o.at)).size).toBe(count);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('fires at most once per local day and only skips gap days when the policy skips', () => {
    fc.assert(
      fc.property(
        fc.oneof(nearTransition, anywhere),
        fc.integer({ min: 1, max: 5 }),
        ({ zone: z, wall }, back) => {
          const day = Math.floor(wall / DAY_MS) - back;
          const minutes = Math.floor((wall % DAY_MS) / MINUTE_MS);
          const count = back + 5;
          const planned = planZoneOccurrences(
            {
              kind: 'recurring',
              recurrence: 'daily',
              start: dateText(day),
              time: timeText(minutes),
              zone: z,
              recipientLocal: false,
              count,
            },
            z,
            { gap: 'skip', overlap: 'first' },
            [],
          );
          if (!planned.success) throw new Error('planning failed');
          const localDays = planned.data.map((o) => Math.floor(wallTimeAt(z, o.at) / DAY_MS));
          expect(new Set(localDays).size).toBe(localDays.length);
          for (let i = 0; i < count; i++) {
            const exists = instantsShowing(z, wallTime(day + i, minutes)).length > 0;
            expect(localDays.includes(day + i)).toBe(exists);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

function dateText(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function timeText(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
