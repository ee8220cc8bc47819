/**
 * @module
 * KPIs from normalised totals: CTR, CPC, CPM, CPA, ROAS, open, click, conversion,
 * unsubscribe and bounce rates, cost per result, each with the counts behind it and, where
 * it rests on counts, a confidence interval (Wilson for proportions, Poisson for costs per
 * event). A KPI whose inputs are missing is undefined, never 0. Pure.
 */
import type { MetricName } from '../spec/condition-schema.js';
import type { MetricValues } from './metric-fields.js';
import { poissonInterval, wilsonInterval, type ConfidenceInterval } from './wilson-interval.js';

/** Every KPI Herald derives. */
export const KPI_NAMES = [
  'ctr',
  'cpc',
  'cpm',
  'cpa',
  'roas',
  'open_rate',
  'click_rate',
  'conversion_rate',
  'unsubscribe_rate',
  'bounce_rate',
  'cost_per_result',
] as const;
/** A KPI name. */
export type KpiName = (typeof KPI_NAMES)[number];

/** One KPI: the value (a fraction for rates, campaign currency for costs) and its basis. */
export interface Kpi {
  readonly name: KpiName;
  readonly value: number | undefined;
  readonly numerator: number | undefined;
  readonly denominator: number | undefined;
  /** For rates: successes/trials (Wilson); for costs: cost over the Poisson interval of events. */
  readonly interval?: ConfidenceInterval;
  readonly kind: 'rate' | 'money' | 'multiple';
}

/** All KPIs of one set of totals. */
export type KpiSet = Readonly<Record<KpiName, Kpi>>;

const rateKpi = (
  name: KpiName,
  successes: number | undefined,
  trials: number | undefined,
  level: number,
): Kpi => {
  if (successes === undefined || trials === undefined || trials <= 0) {
    return { name, value: undefined, numerator: successes, denominator: trials, kind: 'rate' };
  }
  const interval = wilsonInterval(Math.min(Math.round(successes), trials), trials, level);
  return {
    name,
    value: successes / trials,
    numerator: successes,
    denominator: trials,
    ...(interval ? { interval } : {}),
    kind: 'rate',
  };
};

const costKpi = (
  name: KpiName,
  cost: number | undefined,
  events: number | undefined,
  level: number,
  scale = 1,
): Kpi => {
  if (cost === undefined || events === undefined || events <= 0) {
    return { name, value: undefined, numerator: cost, denominator: events, kind: 'money' };
  }
  const counts = poissonInterval(events / scale, level);
  return {
    name,
    value: cost / (events / scale),
    numerator: cost,
    denominator: events,
    interval: {
      low: cost / counts.high,
      high: counts.low > 0 ? cost / counts.low : Number.POSITIVE_INFINITY,
      level,
    },
    kind: 'money',
  };
};

/**
 * Computes every KPI of `values`.
 * @example
 * computeKpis({ impressions: 10_000, clicks: 250, spend: 400 }).cpc.value; // 1.6
 */
export function computeKpis(values: MetricValues, level = 0.95): KpiSet {
  const opens = values.unique_opens ?? values.opens;
  const emailClicks = values.unique_clicks ?? values.clicks;
  const results = values.conversions ?? values.clicks ?? values.engagements;
  const roas =
    values.revenue !== undefined && values.spend !== undefined && values.spend > 0
      ? values.revenue / values.spend
      : undefined;
  return {
    ctr: rateKpi('ctr', values.clicks, values.impressions, level),
    cpc: costKpi('cpc', values.spend, values.clicks, level),
    cpm: costKpi('cpm', values.spend, values.impressions, level, 1000),
    cpa: costKpi('cpa', values.spend, values.conversions, level),
    roas: {
      name: 'roas',
      value: roas,
      numerator: values.revenue,
      denominator: values.spend,
      kind: 'multiple',
    },
    open_rate: rateKpi('open_rate', opens, values.deliveries, level),
    click_rate: rateKpi('click_rate', emailClicks, values.deliveries, level),
    conversion_rate: rateKpi('conversion_rate', values.conversions, values.clicks, level),
    unsubscribe_rate: rateKpi('unsubscribe_rate', values.unsubscribes, values.deliveries, level),
    bounce_rate: rateKpi('bounce_rate', values.bounces, values.sends, level),
    cost_per_result: costKpi('cost_per_result', values.spend, results, level),
  };
}

/**
 * KPIs of several channels together, each recomputed from the counts of the channels that
 * report both its numerator and its denominator: e-mail clicks, which have no impressions, do
 * not enter CTR, so the overall CTR lies between the channels' CTRs.
 * @example
 * computeKpisAcross([ads, email]).ctr.value; // ads clicks / ads impressions
 */
export function computeKpisAcross(parts: readonly MetricValues[], level = 0.95): KpiSet {
  const each = parts.map((part) => computeKpis(part, level));
  const out = {} as Record<KpiName, Kpi>;
  for (const name of KPI_NAMES) {
    let numerator: number | undefined;
    let denominator: number | undefined;
    for (const kpis of each) {
      const kpi = kpis[name];
      if (kpi.numerator === undefined || kpi.denominator === undefined) continue;
      numerator = (numerator ?? 0) + kpi.numerator;
      denominator = (denominator ?? 0) + kpi.denominator;
    }
    const kind = computeKpis({})[name].kind;
    out[name] =
      kind === 'rate'
        ? rateKpi(name, numerator, denominator, level)
        : kind === 'money'
          ? costKpi(name, numerator, denominator, level, name === 'cpm' ? 1000 : 1)
          : {
              name,
              value:
                numerator !== undefined && denominator !== undefined && denominator > 0
                  ? numerator / denominator
                  : undefined,
              numerator,
              denominator,
              kind,
            };
  }
  return out;
}

/** The value a rule condition watches: a KPI or a raw total. */
export function conditionMetric(name: MetricName, values: MetricValues): number | undefined {
  switch (name) {
    case 'conversions':
    case 'spend':
    case 'impressions':
    case 'clicks':
    case 'engagements':
      return values[name];
    default:
      return computeKpis(values)[name].value;
  }
}

/** The successes and trials behind a proportion metric, for significance tests. */
export function proportionCounts(
  name: MetricName,
  values: MetricValues,
): { successes: number; trials: number } | undefined {
  const basis: Partial<Record<MetricName, KpiName>> = {
    open_rate: 'open_rate',
    click_rate: 'click_rate',
    ctr: 'ctr',
    conversion_rate: 'conversion_rate',
    unsubscribe_rate: 'unsubscribe_rate',
    bounce_rate: 'bounce_rate',
    // Costs and returns per conversion are judged by the conversion rate behind them.
    cpa: 'conversion_rate',
    roas: 'conversion_rate',
    conversions: 'conversion_rate',
    cpc: 'ctr',
    clicks: 'ctr',
  };
  const kpiName = basis[name];
  if (!kpiName) return undefined;
  const kpi = computeKpis(values)[kpiName];
  if (kpi.numerator === undefined || kpi.denominator === undefined || kpi.denominator <= 0) {
    return undefined;
  }
  return { successes: Math.round(kpi.numerator), trials: kpi.denominator };
}
