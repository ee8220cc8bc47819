import { describe, expect, it } from 'vitest';
import { addIsoDuration, durationToMs, parseIsoDuration } from './iso-duration.js';

describe('parseIsoDuration', () => {
  it('reads every field and rejects other text', () => {
    expect(parseIsoDuration('P1Y2M3W4DT5H6M7S')).toEqual({
      years: 1,
      months: 2,
      weeks: 3,
      days: 4,
      hours: 5,
      minutes: 6,
      seconds: 7,
    });
    expect(parseIsoDuration('PT0S')).toMatchObject({ seconds: 0 });
    expect(parseIsoDuration('P')).toBeUndefined();
    expect(parseIsoDuration('1D')).toBeUndefined();
  });
});

describe('durationToMs', () => {
  it('counts months as 30 days and years as 365 days', () => {
    expect(durationToMs(parseIsoDuration('P1W1DT1H1M1S')!)).toBe(8 * 86_400_000 + 3_661_000);
    expect(durationToMs(parseIsoDuration('P1M')!)).toBe(30 * 86_400_000);
    expect(durationToMs(parseIsoDuration('P1Y')!)).toBe(365 * 86_400_000);
  });
});

describe('addIsoDuration', () => {
  it('moves calendar parts on the local calendar and time parts as elapsed time', () => {
    const sat = Date.parse('2026-03-07T15:00:00.250Z');
    expect(
      new Date(
        addIsoDuration(sat, parseIsoDuration('P1D')!, 'America/New_York', 'first'),
      ).toISOString(),
    ).toBe('2026-03-08T14:00:00.250Z');
    expect(
      new Date(
        addIsoDuration(sat, parseIsoDuration('PT24H')!, 'America/New_York', 'first'),
      ).toISOString(),
    ).toBe('2026-03-08T15:00:00.250Z');
  });

  it('clamps to the end of a shorter month', () => {
    const jan31 = Date.parse('2026-01-31T12:00:00Z');
    expect(
      new Date(addIsoDuration(jan31, parseIsoDuration('P1M')!, 'UTC', 'first')).toISOString(),
    ).toBe('2026-02-28T12:00:00.000Z');
    expect(
      new Date(addIsoDuration(jan31, parseIsoDuration('P1Y1M')!, 'UTC', 'first')).toISOString(),
    ).toBe('2027-02-28T12:00:00.000Z');
  });

  it('moves a landing in a gap to the end of the gap', () => {
    const sat = Date.parse('2026-03-07T07:30:00Z');
    expect(
      new Date(
        addIsoDuration(sat, parseIsoDuration('P1D')!, 'America/New_York', 'first'),
      ).toISOString(),
    ).toBe('2026-03-08T07:00:00.000Z');
  });
});
