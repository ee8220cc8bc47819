/**
 * @module
 * Plain-English figures for explanations and reports: rates as percentages, money with its
 * currency, counts with thousands separators. Pure.
 */
import type { MetricName } from '../spec/condition-schema.js';

const MONEY: ReadonlySet<string> = new Set([
  'cpc',
  'cpm',
  'cpa',
  'spend',
  'cost_per_result',
  'revenue',
]);
const RATES: ReadonlySet<string> = new Set([
  'open_rate',
  'click_rate',
  'ctr',
  'conversion_rate',
  'unsubscribe_rate',
  'bounce_rate',
]);

/** Human names of condition metrics. */
export const METRIC_LABELS: Readonly<Record<MetricName, string>> = {
  open_rate: 'open rate',
  click_rate: 'click rate',
  ctr: 'CTR',
  cpc: 'CPC',
  cpm: 'CPM',
  cpa: 'CPA',
  roas: 'ROAS',
  conversions: 'conversions',
  conversion_rate: 'conversion rate',
  spend: 'spend',
  impressions: 'impressions',
  clicks: 'clicks',
  unsubscribe_rate: 'unsubscribe rate',
  bounce_rate: 'bounce rate',
  engagements: 'engagements',
};

/** Formats an amount of money, e.g. `USD 2.40`. */
export function formatMoney(amount: number, currency: string): string {
  return `${currency} ${amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** Formats a metric's value in its unit: `12.30%`, `USD 1.50`, `2.4×`, `12,000`. */
export function formatMetric(name: string, value: number | undefined, currency: string): string {
  if (value === undefined) return 'n/a';
  if (RATES.has(name)) return `${(value * 100).toFixed(2)}%`;
  if (MONEY.has(name)) return formatMoney(value, currency);
  if (name === 'roas') return `${value.toFixed(2)}×`;
  return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
}
