import { describe, expect, it } from 'vitest';
import { parseLocalDate, parseLocalTime, wallTime } from './civil-date.js';
import { DEFAULT_DST_POLICY, resolveLocalTime, type DstPolicy } from './dst-policy.js';

const wall = (date: string, time: string): number =>
  wallTime(parseLocalDate(date), parseLocalTime(time));
const utc = (text: string): number => Date.parse(text);
const resolve = (
  zone: string,
  date: string,
  time: string,
  policy: DstPolicy = DEFAULT_DST_POLICY,
) => resolveLocalTime(zone, wall(date, time), policy);

describe('resolveLocalTime', () => {
  it('moves 02:30 on 2026-03-08 in New York to 03:00 EDT, not luxon’s 03:30', () => {
    expect(resolve('America/New_York', '2026-03-08', '02:30')).toEqual({
      status: 'shifted',
      at: utc('2026-03-08T07:00:00Z'),
      gapMs: 3_600_000,
    });
  });

  it('skips or reports a gap time when the policy says so', () => {
    expect(
      resolve('America/New_York', '2026-03-08', '02:30', { gap: 'skip', overlap: 'first' }),
    ).toEqual({ status: 'skipped', gapMs: 3_600_000 });
    expect(
      resolve('America/New_York', '2026-03-08', '02:30', { gap: 'error', overlap: 'first' }),
    ).toEqual({ status: 'nonexistent', gapMs: 3_600_000 });
  });

  it('picks the first or second 01:30 on 2026-11-01 in New York', () => {
    const first = {
      status: 'overlap',
      at: utc('2026-11-01T05:30:00Z'),
      other: utc('2026-11-01T06:30:00Z'),
    };
    expect(resolve('America/New_York', '2026-11-01', '01:30')).toEqual(first);
    expect(
      resolve('America/New_York', '2026-11-01', '01:30', {
        gap: 'shift_forward',
        overlap: 'second',
      }),
    ).toEqual({
      status: 'overlap',
      at: first.other,
      other: first.at,
    });
  });

  it('handles London’s 01:00 transitions', () => {
    expect(resolve('Europe/London', '2026-03-29', '01:15')).toMatchObject({
      status: 'shifted',
      at: utc('2026-03-29T01:00:00Z'),
    });
    expect(resolve('Europe/London', '2026-10-25', '01:15')).toMatchObject({
      status: 'overlap',
      at: utc('2026-10-25T00:15:00Z'),
    });
    expect(resolve('Europe/London', '2026-07-01', '09:00')).toEqual({
      status: 'exact',
      at: utc('2026-07-01T08:00:00Z'),
    });
  });

  it('handles Lord Howe’s 30-minute DST', () => {
    expect(resolve('Australia/Lord_Howe', '2026-10-04', '02:15')).toEqual({
      status: 'shifted',
      at: utc('2026-10-03T15:30:00Z'),
      gapMs: 1_800_000,
    });
    expect(
      resolve('Australia/Lord_Howe', '2026-04-05', '01:45', { gap: 'skip', overlap: 'second' }),
    ).toEqual({
      status: 'overlap',
      at: utc('2026-04-04T15:15:00Z'),
      other: utc('2026-04-04T14:45:00Z'),
    });
  });

  it('handles Chatham’s +13:45 and its 02:45 gap', () => {
    expect(resolve('Pacific/Chatham', '2026-12-01', '09:00')).toEqual({
      status: 'exact',
      at: utc('2026-11-30T19:15:00Z'),
    });
    expect(resolve('Pacific/Chatham', '2026-09-27', '03:00')).toEqual({
      status: 'shifted',
      at: utc('2026-09-26T14:00:00Z'),
      gapMs: 3_600_000,
    });
  });

  it('handles Kathmandu’s +05:45 without DST', () => {
    expect(resolve('Asia/Kathmandu', '2026-06-01', '09:00')).toEqual({
      status: 'exact',
      at: utc('2026-06-01T03:15:00Z'),
    });
  });

  it('follows zones that dropped DST: no gap after the change, a gap before it', () => {
    expect(resolve('America/Mexico_City', '2026-04-05', '02:30')).toEqual({
      status: 'exact',
      at: utc('2026-04-05T08:30:00Z'),
    });
    expect(resolve('America/Mexico_City', '2022-04-03', '02:30')).toMatchObject({
      status: 'shifted',
      at: utc('2022-04-03T08:00:00Z'),
    });
    expect(resolve('Asia/Tehran', '2026-03-22', '00:30')).toEqual({
      status: 'exact',
      at: utc('2026-03-21T21:00:00Z'),
    });
    expect(resolve('Asia/Tehran', '2021-03-22', '00:30')).toMatchObject({ status: 'shifted' });
    expect(resolve('America/Sao_Paulo', '2026-11-01', '00:30')).toEqual({
      status: 'exact',
      at: utc('2026-11-01T03:30:00Z'),
    });
  });

  it('handles midnight transitions where the gap starts the day', () => {
    expect(resolve('America/Havana', '2026-03-08', '00:30')).toMatchObject({
      status: 'shifted',
      at: utc('2026-03-08T05:00:00Z'),
    });
  });
});
