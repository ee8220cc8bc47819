/**
 * @module
 * The normalised metrics model: one set of fields for every platform, counts as numbers and
 * money in the campaign currency (major units), whatever each platform reports.
 */

/** Every normalised metric field. */
export const METRIC_FIELDS = [
  'impressions',
  'reach',
  'clicks',
  'unique_clicks',
  'spend',
  'conversions',
  'revenue',
  'sends',
  'deliveries',
  'opens',
  'unique_opens',
  'bounces',
  'unsubscribes',
  'complaints',
  'engagements',
  'video_views',
] as const;

/** A normalised metric field, e.g. `spend`. */
export type MetricField = (typeof METRIC_FIELDS)[number];

/** Fields that hold money: converted to the campaign currency, in major units (12.5 = $12.50). */
export const MONEY_FIELDS: readonly MetricField[] = ['spend', 'revenue'];

/** Normalised values; a field the platform did not report is absent, never zero. */
export type MetricValues = Partial<Record<MetricField, number>>;

/** How complete one day of one platform's data is. */
export const DAY_STATUSES = ['complete', 'partial', 'provisional', 'missing'] as const;
/**
 * `complete`: every field the platform reports is there and the day is settled;
 * `partial`: some fields the platform reports are absent; `provisional`: the platform may
 * still revise the day (late conversions, attribution); `missing`: no data at all.
 */
export type DayStatus = (typeof DAY_STATUSES)[number];

/** True when `name` is a normalised field. */
export function isMetricField(name: string): name is MetricField {
  return (METRIC_FIELDS as readonly string[]).includes(name);
}

/** Adds `b` into `a` field by field (for aggregating entities or days). */
export function addValues(a: MetricValues, b: MetricValues): MetricValues {
  const out: MetricValues = { ...a };
  for (const field of METRIC_FIELDS) {
    const value = b[field];
    if (value !== undefined) out[field] = (out[field] ?? 0) + value;
  }
  return out;
}
