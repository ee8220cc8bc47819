import { describe, expect, it } from 'vitest';
import { DEFAULT_SMS_HOURS, REGION_RULES, ruleFor } from '../../src/compliance/regional-policy.js';
import {
  compileSendWindow,
  isOpenAt,
  localClock,
  nextOpenInstant,
} from '../../src/compliance/send-window.js';

describe('compileSendWindow', () => {
  it('subtracts quiet hours that wrap midnight from the legal window', () => {
    const w = compileSendWindow(DEFAULT_SMS_HOURS, { start: '20:00', end: '09:00' });
    expect(w.days[1]).toEqual([[540, 1200]]);
    expect(compileSendWindow(undefined, { start: '12:00', end: '13:00' }).days[3]).toEqual([
      [0, 720],
      [780, 1440],
    ]);
    expect(compileSendWindow(undefined, { start: '00:00', end: '00:00' }).days[7]).toEqual([
      [0, 1440],
    ]);
    expect(compileSendWindow({ daily: { start: '22:00', end: '00:00' } }).days[2]).toEqual([
      [1320, 1440],
    ]);
    expect(compileSendWindow({ daily: { start: '22:00', end: '02:00' } }).days[2]).toEqual([
      [0, 120],
      [1320, 1440],
    ]);
  });

  it('closes days set to null', () => {
    const w = compileSendWindow({
      daily: { start: '08:00', end: '20:00' },
      byWeekday: { 7: null },
    });
    expect(w.days[7]).toEqual([]);
    const sunday = Date.parse('2026-11-29T12:00:00Z');
    expect(nextOpenInstant(w, 'UTC', sunday)).toBe(Date.parse('2026-11-30T08:00:00Z'));
  });
});

describe('nextOpenInstant', () => {
  const w = compileSendWindow(DEFAULT_SMS_HOURS);

  it('lands on the first lawful instant across a DST change', () => {
    // 2026-03-08 is the US spring-forward day; 02:30 local does not exist.
    const gapWindow = compileSendWindow({ daily: { start: '02:30', end: '04:00' } });
    const before = Date.parse('2026-03-08T06:00:00Z'); // 01:00 EST
    const next = nextOpenInstant(gapWindow, 'America/New_York', before)!;
    const clock = localClock('America/New_York', next)!;
    expect(isOpenAt(gapWindow, clock)).toBe(true);
    expect(next).toBeGreaterThan(before);
  });

  it('returns undefined for an invalid zone or a window that never opens', () => {
    expect(nextOpenInstant(w, 'Nowhere/Zone', 0)).toBeUndefined();
    expect(
      nextOpenInstant(compileSendWindow({ daily: { start: '09:00', end: '09:00' } }), 'UTC', 0),
    ).toBeUndefined();
  });
});

describe('ruleFor', () => {
  it('picks the stricter state rule, EEA, UK alias and the strictest fallback', () => {
    expect(ruleFor('us', 'fl').region).toBe('US-FL');
    expect(ruleFor('US', 'US-OK').region).toBe('US-OK');
    expect(ruleFor('US', 'NY').region).toBe('US');
    expect(ruleFor('NO').region).toBe('EU');
    expect(ruleFor('UK').region).toBe('GB');
    expect(ruleFor('BR').region).toBe('UNKNOWN');
    expect(ruleFor(undefined)).toBe(REGION_RULES.UNKNOWN);
  });
});
