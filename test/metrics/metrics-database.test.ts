import { afterEach, describe, expect, it } from 'vitest';
import { aggregateDaily } from '../../src/metrics/daily-metrics.js';
import { openMetricsDatabase, type MetricsDatabase } from '../../src/metrics/metrics-database.js';
import type { MetricRecord } from '../../src/metrics/normalise-metrics.js';
import { addDays, dayAt, daysBetween, toCampaignDay } from '../../src/metrics/reporting-day.js';

function record(
  day: string,
  values: MetricRecord['values'],
  extra: Partial<MetricRecord> = {},
): MetricRecord {
  return {
    campaignId: 'c1',
    stepId: 'ads',
    platform: 'google_ads',
    entity: 'e1',
    day,
    sourceDay: day,
    sourceZone: 'UTC',
    values,
    missing: [],
    provisional: false,
    fetchedAt: 1000,
    notes: [],
    ...extra,
  };
}

let db: MetricsDatabase | undefined;
afterEach(() => db?.close());

describe('MetricsDatabase', () => {
  it('replaces a re-fetched day instead of adding to it, and lets late data update it', () => {
    db = openMetricsDatabase(':memory:');
    db.upsert([record('2026-03-01', { clicks: 10 })]);
    db.upsert([record('2026-03-01', { clicks: 10 })]);
    expect(db.records({ campaignId: 'c1' })).toHaveLength(1);
    db.upsert([record('2026-03-01', { clicks: 14, conversions: 2 }, { fetchedAt: 2000 })]);
    expect(db.records({ campaignId: 'c1' })[0]!.values).toEqual({ clicks: 14, conversions: 2 });
    // An older fetch arriving late does not overwrite newer data.
    expect(db.upsert([record('2026-03-01', { clicks: 9 }, { fetchedAt: 1500 })])).toBe(0);
    expect(db.records({ campaignId: 'c1' })[0]!.values.clicks).toBe(14);
  });

  it('queries by campaign, step, platform and day, and reports missing days', () => {
    db = openMetricsDatabase(':memory:');
    db.upsert([
      record('2026-03-01', { clicks: 10 }),
      record('2026-03-01', { clicks: 5 }, { entity: 'e2' }),
      record('2026-03-03', { clicks: 7 }, { missing: ['spend'] }),
      record('2026-03-04', { clicks: 1 }, { provisional: true }),
      record('2026-03-02', { sends: 100 }, { stepId: 'mail', platform: 'sendgrid' }),
    ]);
    expect(db.records({ campaignId: 'c1', platform: 'sendgrid' })).toHaveLength(1);
    expect(
      db.records({ campaignId: 'c1', stepId: 'ads', from: '2026-03-02', to: '2026-03-03' }),
    ).toHaveLength(1);
    const daily = db.daily({
      campaignId: 'c1',
      stepId: 'ads',
      from: '2026-03-01',
      to: '2026-03-05',
    });
    expect(daily.map((d) => [d.day, d.status, d.values.clicks])).toEqual([
      ['2026-03-01', 'complete', 15],
      ['2026-03-02', 'missing', undefined],
      ['2026-03-03', 'partial', 7],
      ['2026-03-04', 'provisional', 1],
      ['2026-03-05', 'missing', undefined],
    ]);
    expect(daily[0]!.entities).toBe(2);
    expect(daily[2]!.missing).toEqual(['spend']);
    expect(db.daily({ campaignId: 'nobody' })).toEqual([]);
    expect(db.daily({ campaignId: 'c1' }).map((d) => d.day)).toContain('2026-03-04');
  });

  it('keeps cursors moving forward only and claims a rule firing once', () => {
    db = openMetricsDatabase(':memory:');
    expect(db.cursor('c1', 'ads', 'google_ads')).toBeUndefined();
    db.setCursor('c1', 'ads', 'google_ads', '2026-03-05', 1);
    db.setCursor('c1', 'ads', 'google_ads', '2026-03-02', 2);
    expect(db.cursor('c1', 'ads', 'google_ads')).toBe('2026-03-05');
    expect(db.claimFiring('c1', 'r1', 1)).toBe(true);
    expect(db.claimFiring('c1', 'r1', 2)).toBe(false);
    expect(db.hasFired('c1', 'r1')).toBe(true);
    db.releaseFiring('c1', 'r1');
    expect(db.hasFired('c1', 'r1')).toBe(false);
    expect(db.action('none')).toBeUndefined();
  });
});

describe('aggregateDaily', () => {
  it('lists a whole missing series when a platform sent nothing', () => {
    const rows = aggregateDaily([], { from: '2026-03-01', to: '2026-03-02' }, [
      { campaignId: 'c1', stepId: 'mail', platform: 'sendgrid' },
    ]);
    expect(rows.map((r) => r.status)).toEqual(['missing', 'missing']);
  });
});

describe('reporting days', () => {
  it('maps days across zones and lists ranges', () => {
    expect(toCampaignDay('2026-03-01', 'UTC', 'UTC')).toBe('2026-03-01');
    expect(toCampaignDay('2026-03-01', 'Asia/Tokyo', 'America/Los_Angeles')).toBe('2026-02-28');
    expect(daysBetween('2026-02-27', '2026-03-01')).toEqual([
      '2026-02-27',
      '2026-02-28',
      '2026-03-01',
    ]);
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('gives the same answers when a day is asked for again, across midnight and a DST change', () => {
    for (let pass = 0; pass < 2; pass++) {
      expect(toCampaignDay('2026-03-01', 'Asia/Tokyo', 'America/Los_Angeles')).toBe('2026-02-28');
      expect(addDays('2026-03-01', 1)).toBe('2026-03-02');
    }
    // New York's 8 March 2026 has 23 hours: 05:00Z to 04:00Z next day.
    const asked = [
      ['2026-03-08T04:59:00Z', '2026-03-07'],
      ['2026-03-08T05:00:00Z', '2026-03-08'],
      ['2026-03-09T03:59:00Z', '2026-03-08'],
      ['2026-03-09T04:00:00Z', '2026-03-09'],
      ['2026-03-08T05:30:00Z', '2026-03-08'],
    ];
    for (const [at, day] of asked) expect(dayAt(Date.parse(at!), 'America/New_York')).toBe(day);
    expect(dayAt(Date.parse('2026-03-08T12:00:00Z'), 'Not/AZone')).toBe('2026-03-08');
  });
});
