/**
 * @module
 * `aggregateDaily`: normalised records → one row per campaign step, platform and campaign
 * day, entities summed, every day of the range present and marked `complete`, `partial`,
 * `provisional` or `missing` (no data is never shown as zero). Pure.
 */
import type { Platform } from '../spec/platforms.js';
import { addValues, type DayStatus, type MetricField, type MetricValues } from './metric-fields.js';
import type { MetricRecord } from './normalise-metrics.js';
import { daysBetween } from './reporting-day.js';

/** One day of one step on one platform. */
export interface DailyMetrics {
  readonly campaignId: string;
  readonly stepId: string;
  readonly platform: Platform;
  readonly day: string;
  readonly values: MetricValues;
  readonly status: DayStatus;
  /** Fields some entity lacked that day (the totals of these fields are incomplete). */
  readonly missing: readonly MetricField[];
  /** Entities that reported. */
  readonly entities: number;
}

/** A step on a platform whose days should all be there. */
export interface ExpectedSeries {
  readonly campaignId: string;
  readonly stepId: string;
  readonly platform: Platform;
}

/**
 * Sums records per step, platform and day over `from`..`to` (campaign days, inclusive); a
 * series with no record on a day gets a `missing` row for it.
 */
export function aggregateDaily(
  records: readonly MetricRecord[],
  range: { readonly from: string; readonly to: string },
  expected: readonly ExpectedSeries[] = [],
): DailyMetrics[] {
  const series = new Map<string, ExpectedSeries>();
  for (const s of [...expected, ...records]) {
    series.set(seriesKey(s), { campaignId: s.campaignId, stepId: s.stepId, platform: s.platform });
  }
  const byDay = new Map<string, MetricRecord[]>();
  for (const record of records) {
    if (record.day < range.from || record.day > range.to) continue;
    const key = `${seriesKey(record)}|${record.day}`;
    const list = byDay.get(key) ?? [];
    list.push(record);
    byDay.set(key, list);
  }
  const out: DailyMetrics[] = [];
  const days = daysBetween(range.from, range.to);
  for (const [key, s] of [...series].sort(([a], [b]) => a.localeCompare(b))) {
    for (const day of days) {
      const list = byDay.get(`${key}|${day}`) ?? [];
      if (list.length === 0) {
        out.push({ ...s, day, values: {}, status: 'missing', missing: [], entities: 0 });
        continue;
      }
      const values = list.reduce<MetricValues>((sum, r) => addValues(sum, r.values), {});
      const missing = [...new Set(list.flatMap((r) => r.missing))];
      const status: DayStatus =
        missing.length > 0
          ? 'partial'
          : list.some((r) => r.provisional)
            ? 'provisional'
            : 'complete';
      out.push({ ...s, day, values, status, missing, entities: list.length });
    }
  }
  return out;
}

/** Sums daily rows into totals (missing days add nothing; the caller reports them). */
export function totalOf(rows: readonly DailyMetrics[]): MetricValues {
  return rows.reduce<MetricValues>((sum, row) => addValues(sum, row.values), {});
}

function seriesKey(s: ExpectedSeries): string {
  return `${s.campaignId}|${s.stepId}|${s.platform}`;
}
