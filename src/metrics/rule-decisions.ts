/**
 * @module
 * What a rule's condition concludes from the metrics, before anything is done: a threshold
 * crossed (with the numbers behind it), or the best of several steps — for `pick_winner` only
 * when a two-proportion z-test says so at the stated confidence. Pure.
 */
import type { Condition, MetricName } from '../spec/condition-schema.js';
import { abVerdict, type AbArm, type AbTestOptions } from './ab-test.js';
import { conditionMetric, proportionCounts } from './kpi-calculator.js';
import type { MetricValues } from './metric-fields.js';
import { formatMetric, formatMoney, METRIC_LABELS } from './metric-format.js';

/** A condition that holds: why, the figures, and the steps concerned (best first). */
export interface RuleDecision {
  /** Plain English with the numbers, e.g. "the CPC of step ad-b is USD 2.40, above USD 2.00 (…)". */
  readonly explanation: string;
  readonly numbers: Readonly<Record<string, number>>;
  readonly steps: readonly { readonly id: string; readonly values: MetricValues }[];
}

/** A condition that does not hold (yet), and why. */
export interface Undecided {
  readonly status: 'no_data' | 'not_met' | 'no_winner';
  readonly explanation: string;
}

const OPS = {
  lt: (a: number, b: number) => a < b,
  lte: (a: number, b: number) => a <= b,
  gt: (a: number, b: number) => a > b,
  gte: (a: number, b: number) => a >= b,
  eq: (a: number, b: number) => Math.abs(a - b) < 1e-9,
} as const;
const OP_WORDS = {
  lt: 'below',
  lte: 'at or below',
  gt: 'above',
  gte: 'at or above',
  eq: 'equal to',
};

/** Whether a threshold condition (`lt` … `eq`) holds for `values`. */
export function decideThreshold(
  condition: Condition,
  values: MetricValues,
  currency: string,
): RuleDecision | Undecided {
  const value = conditionMetric(condition.metric, values);
  const label = METRIC_LABELS[condition.metric];
  const where = condition.step ? `step ${condition.step}` : 'the campaign';
  if (value === undefined || condition.threshold === null) {
    return {
      status: 'no_data',
      explanation: `${condition.id}: the ${label} of ${where} cannot be computed yet`,
    };
  }
  const shown = formatMetric(condition.metric, value, currency);
  const limit = formatMetric(condition.metric, condition.threshold, currency);
  const compare = OPS[condition.op as keyof typeof OPS];
  if (!compare(value, condition.threshold)) {
    return {
      status: 'not_met',
      explanation: `${condition.id}: the ${label} of ${where} is ${shown}, not ${OP_WORDS[condition.op as keyof typeof OP_WORDS]} ${limit}`,
    };
  }
  return {
    explanation: `the ${label} of ${where} is ${shown}, ${OP_WORDS[condition.op as keyof typeof OP_WORDS]} ${limit} (${basis(values, currency)})`,
    numbers: { value, threshold: condition.threshold, ...numeric(values) },
    steps: [{ id: condition.step ?? '', values }],
  };
}

/** The best of `steps` by the condition's metric (`max` / `min`); an A/B winner needs significance. */
export function decideComparison(
  condition: Condition,
  steps: readonly { id: string; values: MetricValues }[],
  currency: string,
  ab: AbTestOptions,
): RuleDecision | Undecided {
  const then = condition.then;
  const label = METRIC_LABELS[condition.metric];
  const scored = steps.map((s) => ({ ...s, value: conditionMetric(condition.metric, s.values) }));
  const lacking = scored.filter((s) => s.value === undefined).map((s) => s.id);
  if (lacking.length > 0) {
    return {
      status: 'no_data',
      explanation: `${condition.id}: no ${label} yet for ${lacking.join(', ')}`,
    };
  }
  const sign = condition.op === 'max' ? 1 : -1;
  const ranked = [...scored].sort((a, b) => sign * (b.value! - a.value!));
  const summary = ranked
    .map((s) => `${s.id} ${formatMetric(condition.metric, s.value, currency)}`)
    .join(', ');
  const numbers: Record<string, number> = {};
  for (const s of scored) numbers[`${s.id}.${condition.metric}`] = s.value!;
  if (then.type === 'pick_winner') {
    const arms = steps.map((s) => armOf(s.id, condition.metric, s.values));
    const better = proxied(condition.metric) || condition.op === 'max' ? 'higher' : 'lower';
    const verdict = abVerdict(
      arms.filter((a): a is AbArm => a !== undefined),
      { ...ab, better },
    );
    if (arms.some((a) => a === undefined) || verdict.winner === undefined) {
      return {
        status: 'no_winner',
        explanation: `${condition.id}: ${verdict.explanation}`,
      };
    }
    return {
      explanation: `${verdict.explanation} (${label}: ${summary})`,
      numbers: { ...numbers, pValue: verdict.pValue, confidence: verdict.confidence },
      steps: [
        ranked.find((s) => s.id === verdict.winner)!,
        ...ranked.filter((s) => s.id !== verdict.winner),
      ],
    };
  }
  return {
    explanation: `${ranked[0]!.id} has the ${condition.op === 'max' ? 'highest' : 'lowest'} ${label} (${summary})`,
    numbers,
    steps: ranked,
  };
}

function proxied(metric: MetricName): boolean {
  return ['cpa', 'roas', 'conversions', 'cpc', 'clicks'].includes(metric);
}

/** The successes and trials of a step's metric, for a significance test. */
export function armOf(id: string, metric: MetricName, values: MetricValues): AbArm | undefined {
  const counts = proportionCounts(metric, values);
  return counts ? { id, ...counts } : undefined;
}

function numeric(values: MetricValues): Record<string, number> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}

function basis(values: MetricValues, currency: string): string {
  const parts: string[] = [];
  if (values.spend !== undefined) parts.push(`spend ${formatMoney(values.spend, currency)}`);
  for (const field of [
    'impressions',
    'clicks',
    'conversions',
    'deliveries',
    'unique_opens',
  ] as const) {
    const v = values[field];
    if (v !== undefined)
      parts.push(
        `${v.toLocaleString('en-US', { maximumFractionDigits: 2 })} ${field.replace('_', ' ')}`,
      );
  }
  return parts.join(', ');
}
