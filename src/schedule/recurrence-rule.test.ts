import { describe, expect, it } from 'vitest';
import { civilFromDays, parseLocalDate } from './civil-date.js';
import { parseRecurrence, recurrenceDates, type RecurrenceRule } from './recurrence-rule.js';

function dates(
  text: string,
  start: string,
  bounds: { until?: string; count?: number; limit?: number },
): string[] {
  const rule = parseRecurrence(text) as Exclude<RecurrenceRule, { kind: 'interval' }>;
  return [
    ...recurrenceDates(rule, {
      start: parseLocalDate(start),
      ...(bounds.until === undefined ? {} : { until: parseLocalDate(bounds.until) }),
      ...(bounds.count === undefined ? {} : { count: bounds.count }),
      ...(bounds.limit === undefined ? {} : { limit: bounds.limit }),
    }),
  ].map((day) => {
    const d = civilFromDays(day);
    return `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
  });
}

describe('parseRecurrence', () => {
  it('parses every compact form', () => {
    expect(parseRecurrence('daily')).toEqual({
      kind: 'weekly',
      days: [0, 1, 2, 3, 4, 5, 6],
      everyWeeks: 1,
    });
    expect(parseRecurrence('weekdays')).toEqual({
      kind: 'weekly',
      days: [0, 1, 2, 3, 4],
      everyWeeks: 1,
    });
    expect(parseRecurrence('weekly:TH,MO,TH')).toEqual({
      kind: 'weekly',
      days: [0, 3],
      everyWeeks: 1,
    });
    expect(parseRecurrence('biweekly:TU')).toEqual({ kind: 'weekly', days: [1], everyWeeks: 2 });
    expect(parseRecurrence('monthly:15')).toEqual({ kind: 'month_day', day: 15 });
    expect(parseRecurrence('monthly:last-FR')).toEqual({
      kind: 'month_weekday',
      ordinal: -1,
      weekday: 4,
    });
    expect(parseRecurrence('monthly:second-MO')).toEqual({
      kind: 'month_weekday',
      ordinal: 2,
      weekday: 0,
    });
    expect(parseRecurrence('every:PT2H')).toEqual({ kind: 'interval', everyMs: 7_200_000 });
    expect(parseRecurrence('every:PT30M')).toEqual({ kind: 'interval', everyMs: 1_800_000 });
  });

  it('returns undefined when the text is not a recurrence', () => {
    for (const text of [
      'hourly',
      'weekly',
      'weekly:XX',
      'monthly:32',
      'monthly:fifth-MO',
      'every:PT0H',
      'every:P1D',
      'yearly:1',
    ]) {
      expect(parseRecurrence(text), text).toBeUndefined();
    }
  });
});

describe('recurrenceDates', () => {
  it('lists weekdays and weekly days from the start date', () => {
    expect(dates('weekdays', '2026-12-04', { count: 3 })).toEqual([
      '2026-12-04',
      '2026-12-07',
      '2026-12-08',
    ]);
    expect(dates('weekly:MO,TH', '2026-12-01', { until: '2026-12-10' })).toEqual([
      '2026-12-03',
      '2026-12-07',
      '2026-12-10',
    ]);
  });

  it('fires every other week counted from the start week', () => {
    expect(dates('biweekly:TU,SU', '2026-12-02', { count: 4 })).toEqual([
      '2026-12-06',
      '2026-12-15',
      '2026-12-20',
      '2026-12-29',
    ]);
  });

  it('skips months without the day, as RFC 5545 does', () => {
    expect(dates('monthly:31', '2026-01-15', { count: 4 })).toEqual([
      '2026-01-31',
      '2026-03-31',
      '2026-05-31',
      '2026-07-31',
    ]);
    expect(dates('monthly:15', '2026-01-16', { until: '2026-03-15' })).toEqual([
      '2026-02-15',
      '2026-03-15',
    ]);
  });

  it('finds the nth and the last weekday of each month', () => {
    expect(dates('monthly:last-FR', '2026-01-01', { count: 3 })).toEqual([
      '2026-01-30',
      '2026-02-27',
      '2026-03-27',
    ]);
    expect(dates('monthly:first-MO', '2026-06-02', { count: 2 })).toEqual([
      '2026-07-06',
      '2026-08-03',
    ]);
    expect(dates('monthly:fourth-SU', '2026-02-01', { count: 1 })).toEqual(['2026-02-22']);
  });

  it('stops at the limit whatever count says', () => {
    expect(dates('daily', '2026-01-01', { count: 100, limit: 2 })).toHaveLength(2);
  });
});
