/**
 * @module
 * Phrases of explanations: durations ("2 days"), recurrences ("every other Tuesday") and
 * metric names ("open rate"), written the way the parser reads them back.
 */
import type { MetricName } from '../spec/condition-schema.js';
import { DAY_CODES } from './time-lexicon.js';

const DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const UNIT_NAMES: Readonly<Record<string, string>> = {
  D: 'day',
  W: 'week',
  M: 'month',
  Y: 'year',
  TH: 'hour',
  TM: 'minute',
  TS: 'second',
};

/**
 * An ISO-8601 duration of one unit in words.
 * @example
 * describeDuration('PT48H'); // '48 hours'
 */
export function describeDuration(iso: string): string {
  const time = iso.startsWith('PT');
  const body = iso.slice(time ? 2 : 1);
  const unit = body.slice(-1);
  const n = Number(body.slice(0, -1));
  const name = UNIT_NAMES[(time ? 'T' : '') + unit];
  if (name === undefined || !Number.isInteger(n) || body.length < 2) return iso;
  return `${n} ${name}${n === 1 ? '' : 's'}`;
}

const days = (codes: string): string[] =>
  codes.split(',').map((c) => DAY_NAMES[DAY_CODES.indexOf(c as (typeof DAY_CODES)[number])] ?? c);

const join = (items: readonly string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)!}`;

/** A recurrence in words ("every Monday and Thursday", "on the last Friday of every month"). */
export function describeRecurrence(recurrence: string | undefined): string {
  if (recurrence === undefined) return 'repeatedly';
  if (recurrence === 'daily') return 'every day';
  if (recurrence === 'weekdays') return 'every weekday';
  const [kind, rest = ''] = recurrence.split(':');
  if (kind === 'weekly') return `every ${join(days(rest))}`;
  if (kind === 'biweekly') return `every other ${join(days(rest))}`;
  if (kind === 'every') return `every ${describeDuration(rest)}`;
  const [ordinal, code] = rest.split('-');
  if (code !== undefined) return `on the ${ordinal!} ${days(code)[0]!} of every month`;
  const n = Number(rest);
  const suffix =
    n % 10 === 1 && n !== 11
      ? 'st'
      : n % 10 === 2 && n !== 12
        ? 'nd'
        : n % 10 === 3 && n !== 13
          ? 'rd'
          : 'th';
  return `on the ${n}${suffix} of every month`;
}

const METRIC_WORDS: Readonly<Record<MetricName, string>> = {
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

/** A metric's name in words. */
export function describeMetric(metric: MetricName): string {
  return METRIC_WORDS[metric];
}
