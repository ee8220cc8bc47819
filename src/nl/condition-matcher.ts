/**
 * @module
 * Matchers for metric conditions: "If the open rate is below 18% after 24 hours, resend to
 * non-openers", "pause the google campaign if CTR drops below 1.5%", "whichever has ROAS under
 * 2 -> shift half its budget to the other one", "Pause the ads once they hit 500 conversions".
 * The antecedent yields metric, comparison, threshold and window; the consequent's words are
 * kept for the campaign builder, which resolves the steps they name.
 */
import type { MetricName } from '../spec/condition-schema.js';
import { matchDuration } from './relative-matcher.js';
import type { Scanner } from './text-scanner.js';

/** A condition as read from the text, before its steps are resolved. */
export interface RawCondition {
  readonly metric?: MetricName;
  readonly op: 'lt' | 'lte' | 'gt' | 'gte' | 'eq' | 'max' | 'min';
  readonly threshold: number | null;
  readonly window?: string;
  /** Words of the antecedent (naming the watched step, e.g. "Meta CPA"). */
  readonly watch: readonly string[];
  /** Words of the consequent ("pause them"). */
  readonly then: readonly string[];
  /** Raw text of the consequent. */
  readonly thenText: string;
  readonly problem?: 'vague_quantity' | 'missing_threshold' | 'metric_unspecified';
  /** "without a single conversion": a second metric the same consequent waits for. */
  readonly none?: MetricName;
  readonly span: readonly [number, number];
}

const METRIC_PHRASES = new Map<string, MetricName>([
  ['open rate', 'open_rate'],
  ['opens', 'open_rate'],
  ['open', 'open_rate'],
  ['click rate', 'ctr'],
  ['click-through rate', 'ctr'],
  ['ctr', 'ctr'],
  ['cpc', 'cpc'],
  ['cost per click', 'cpc'],
  ['cpm', 'cpm'],
  ['cpa', 'cpa'],
  ['cost per acquisition', 'cpa'],
  ['cost per conversion', 'cpa'],
  ['roas', 'roas'],
  ['return on ad spend', 'roas'],
  ['conversions', 'conversions'],
  ['sales', 'conversions'],
  ['conversion rate', 'conversion_rate'],
  ['spend', 'spend'],
  ['spends', 'spend'],
  ['spent', 'spend'],
  ['spending', 'spend'],
  ['impressions', 'impressions'],
  ['clicks', 'clicks'],
  ['unsubscribe rate', 'unsubscribe_rate'],
  ['unsubscribes', 'unsubscribe_rate'],
  ['unsubscribe', 'unsubscribe_rate'],
  ['bounce rate', 'bounce_rate'],
  ['engagement', 'engagements'],
  ['engagements', 'engagements'],
]);

const COMPARATORS: readonly (readonly [string, RawCondition['op']])[] = [
  ['at least', 'gte'],
  ['at most', 'lte'],
  ['no more than', 'lte'],
  ['less than', 'lt'],
  ['fewer than', 'lt'],
  ['lower than', 'lt'],
  ['more than', 'gt'],
  ['higher than', 'gt'],
  ['greater than', 'gt'],
  ['below', 'lt'],
  ['under', 'lt'],
  ['<', 'lt'],
  ['above', 'gt'],
  ['over', 'gt'],
  ['exceeds', 'gt'],
  ['passes', 'gt'],
  ['tops', 'gt'],
  ['>', 'gt'],
  ['hit', 'gte'],
  ['hits', 'gte'],
  ['reach', 'gte'],
  ['reaches', 'gte'],
  ['equals', 'eq'],
  ['drops', 'lt'],
  ['falls', 'lt'],
  ['declines', 'lt'],
  ['dips', 'lt'],
  ['rises', 'gt'],
  ['spikes', 'gt'],
  ['jumps', 'gt'],
];
const VAGUE = new Map<string, RawCondition['op']>([
  ['low', 'lt'],
  ['poor', 'lt'],
  ['weak', 'lt'],
  ['bad', 'lt'],
  ['high', 'gt'],
  ['good', 'gt'],
  ['strong', 'gt'],
  ['great', 'gt'],
  ['lots', 'gt'],
  ['many', 'gt'],
  ['few', 'lt'],
]);
const BEST = new Set(['better', 'best', 'winner', 'winning', 'wins']);
/** Comparisons between steps with no number: "whichever has the higher / lower CTR". */
const MORE = new Set(['higher', 'highest', 'more', 'most', 'greater', 'bigger']);
const LESS = new Set(['lower', 'lowest', 'less', 'fewer', 'worse', 'worst', 'smaller']);
/** "without a single conversion", "with zero conversions", "and no sales". */
const NONE = new Set(['without', 'zero', 'no']);
const STARTS = new Set(['if', 'whichever', 'unless']);
/** Verbs that act on a watched step ("pause any ad with a CPC above $2"). */
const REACTIONS = new Set(['pause', 'stop', 'kill', 'raise', 'cut', 'bump', 'lower', 'resend']);
const CLAUSE = new Set([',', ';', ':', '\n']);

/** The metric named at token `k` ("open rate", "CTR"), if any. */
export function metricAt(s: Scanner, k: number): { metric: MetricName; last: number } | undefined {
  for (const n of [4, 3, 2, 1]) {
    const key = Array.from({ length: n }, (_, j) => s.word(k + j)).join(' ');
    const metric = METRIC_PHRASES.get(key);
    if (metric !== undefined) return { metric, last: k + n - 1 };
  }
  return undefined;
}

/** A window phrase at `k`: "after 24 hours", "after the first 5 days", "for the week". */
function windowAt(s: Scanner, k: number): { iso: string; last: number } | undefined {
  const w = s.word(k);
  if (
    w === 'for' &&
    s.word(k + 1) === 'the' &&
    (s.word(k + 2) === 'week' || s.word(k + 2) === 'day')
  ) {
    return { iso: s.word(k + 2) === 'week' ? 'P7D' : 'P1D', last: k + 2 };
  }
  if (s.phrase(k, 'in a day') || s.phrase(k, 'in one day')) return { iso: 'P1D', last: k + 2 };
  if (w === 'for') {
    const run = matchDuration(s, k + 1);
    const straight = run === undefined ? '' : s.word(run.last + 1);
    if (run !== undefined && (straight === 'straight' || s.phrase(run.last + 1, 'in a row')))
      return { iso: run.iso, last: run.last + (straight === 'straight' ? 1 : 3) };
  }
  const streak = matchDuration(s, k);
  if (streak !== undefined && s.word(streak.last + 1) === 'straight')
    return { iso: streak.iso, last: streak.last + 1 };
  if (streak !== undefined && s.phrase(streak.last + 1, 'in a row'))
    return { iso: streak.iso, last: streak.last + 3 };
  if (w !== 'after' && w !== 'within' && w !== 'in' && w !== 'over') return undefined;
  const lead = s.phrase(k + 1, 'the first')
    ? 2
    : s.phrase(k + 1, 'the last') || s.phrase(k + 1, 'the past')
      ? 2
      : 0;
  if (w === 'over' && lead === 0) return undefined;
  const duration = matchDuration(s, k + 1 + lead);
  return duration === undefined ? undefined : { iso: duration.iso, last: duration.last };
}

/** Where a condition starts in the sentence, if it has one: the trigger word's index. */
function triggerAt(s: Scanner): number | undefined {
  for (let k = 0; k < s.tokens.length; k++) {
    const w = s.word(k);
    if (STARTS.has(w)) return k;
    if ((w === 'once' || w === 'when') && metricNear(s, k + 1, 6)) return k;
    if (
      (w === 'with' || w === 'whose' || w === 'where' || w === 'that' || w === 'which') &&
      comparedMetricNear(s, k + 1) &&
      s.tokens.slice(0, k).some((t) => REACTIONS.has(t.norm))
    )
      return k;
  }
  return undefined;
}

/** "with a CPC above $2": a metric within three words, compared within three more. */
function comparedMetricNear(s: Scanner, from: number): boolean {
  for (let k = from; k < from + 3 && k < s.tokens.length; k++) {
    const m = metricAt(s, k);
    if (m === undefined) continue;
    for (let j = m.last + 1; j <= m.last + 3; j++)
      if (COMPARATORS.some(([phrase]) => s.phrase(j, phrase))) return true;
    return false;
  }
  return false;
}

function metricNear(s: Scanner, from: number, reach: number): boolean {
  for (let k = from; k < from + reach && k < s.tokens.length; k++)
    if (metricAt(s, k) !== undefined) return true;
  return false;
}

/** True when a number follows the comparative at `k` within three words ("higher than 2%"). */
function comparedToNumber(s: Scanner, k: number): boolean {
  for (let j = k + 1; j <= k + 3 && j < s.tokens.length; j++) {
    if (s.tokens[j]!.kind === 'number') return true;
    if (CLAUSE.has(s.tokens[j]!.norm)) return false;
  }
  return false;
}

/** Words before "if" that start a new clause in a run-on sentence ("… and then if …"). */
const RUN_ON = new Set(['then', 'and', 'so']);
/** Pronouns between a condition and its consequent ("… without a conversion we kill it"). */
const SUBJECTS = new Set(['we', 'you', 'i', 'please', 'pls']);
/** Verbs that open a consequent with no comma before them. */
const CONSEQUENTS = new Set(
  `pause stop kill resend raise increase lower cut drop bump move shift give send alert notify
  ping swap switch then`.split(/\s+/),
);

/** Where a consequent starts after the antecedent at `from` when no comma separates them. */
function consequentVerb(s: Scanner, from: number): number | undefined {
  for (let k = from + 1; k < s.tokens.length; k++) {
    if (CLAUSE.has(s.tokens[k]!.norm)) return undefined;
    if (CONSEQUENTS.has(s.word(k))) return k;
  }
  return undefined;
}

/** Reads the antecedent `first..last`. */
function antecedent(
  s: Scanner,
  first: number,
  last: number,
): Omit<RawCondition, 'then' | 'thenText' | 'span'> {
  let metric: MetricName | undefined;
  let op: RawCondition['op'] | undefined;
  let threshold: number | null = null;
  let window: string | undefined;
  let vague = false;
  let none: MetricName | undefined;
  const watch: string[] = [];
  for (let k = first; k <= last; k++) {
    const win = windowAt(s, k);
    if (win !== undefined) {
      window = win.iso;
      k = win.last;
      continue;
    }
    const m = metricAt(s, k);
    if (m !== undefined && metric === undefined) {
      metric = m.metric;
      k = m.last;
      continue;
    }
    if (NONE.has(s.word(k)) && metric !== undefined) {
      const j = s.phrase(k + 1, 'a single') ? k + 3 : s.word(k + 1) === 'any' ? k + 2 : k + 1;
      const second = metricAt(s, j);
      if (second !== undefined && second.metric !== metric) {
        none = second.metric;
        k = second.last;
        continue;
      }
    }
    if (
      (MORE.has(s.word(k)) || LESS.has(s.word(k))) &&
      op === undefined &&
      !comparedToNumber(s, k)
    ) {
      op = MORE.has(s.word(k)) ? 'max' : 'min';
      k += s.word(k + 1) === 'than' ? 1 : 0;
      continue;
    }
    const cmp = COMPARATORS.find(([phrase]) => s.phrase(k, phrase));
    if (cmp !== undefined && op === undefined) {
      op = cmp[1];
      k += cmp[0].split(' ').length - 1;
      continue;
    }
    const w = s.word(k);
    const n = s.word(k - 1) === 'step' ? undefined : s.number(k);
    if (n !== undefined && threshold === null) {
      threshold = s.word(k + 1) === '%' ? n / 100 : n;
      if (s.phrase(k + 1, 'or more')) op = 'gte';
    } else if (VAGUE.has(w) && op === undefined) {
      op = VAGUE.get(w)!;
      vague = true;
    } else if (BEST.has(w)) op = 'max';
    else watch.push(s.tokens[k]!.norm);
  }
  if (op === 'max' && (metric === 'cpa' || metric === 'cpc' || metric === 'cpm')) op = 'min';
  const problem =
    metric === undefined
      ? 'metric_unspecified'
      : vague && threshold === null
        ? 'vague_quantity'
        : threshold === null && op !== 'max' && op !== 'min'
          ? 'missing_threshold'
          : undefined;
  return {
    ...(metric === undefined ? {} : { metric }),
    op: op ?? 'gte',
    threshold,
    ...(window === undefined ? {} : { window }),
    watch,
    ...(problem === undefined ? {} : { problem }),
    ...(none === undefined ? {} : { none }),
  };
}

function words(s: Scanner, first: number, last: number): string[] {
  return s.tokens.slice(first, last + 1).map((t) => t.norm);
}

/**
 * The condition in this sentence, claiming its tokens, or `undefined`. A sentence whose
 * trigger has neither a metric nor a number nearby ("if possible") is left alone.
 */
export function matchCondition(s: Scanner): RawCondition | undefined {
  const t = triggerAt(s);
  if (t === undefined) return undefined;
  const end = s.tokens.length - 1;
  let clauseStart = t;
  while (clauseStart > 0 && !CLAUSE.has(s.tokens[clauseStart - 1]!.norm)) clauseStart--;
  const prefix =
    clauseStart === t ||
    (['also', 'and', 'then', 'but'].includes(s.tokens[clauseStart]!.norm) && clauseStart + 1 === t);
  let antFirst = t + 1;
  let antLast = end;
  let thenFirst = clauseStart;
  let thenLast = t - 1;
  let claimEnd = end;
  const runOn = !prefix && RUN_ON.has(s.tokens[t - 1]!.norm);
  const verb = prefix || runOn ? consequentVerb(s, t + 1) : undefined;
  if (verb !== undefined) {
    antLast = verb - 1;
    while (antLast > t && SUBJECTS.has(s.word(antLast))) antLast--;
    thenFirst = s.word(verb) === 'then' ? verb + 1 : verb;
    thenLast = thenFirst;
    while (
      thenLast < end &&
      !CLAUSE.has(s.tokens[thenLast + 1]!.norm) &&
      !(s.word(thenLast + 1) === 'and' && s.word(thenLast + 2) === 'also') &&
      s.word(thenLast + 1) !== 'also'
    )
      thenLast++;
    claimEnd = thenLast;
  } else if (prefix) {
    let k = t + 1;
    while (
      k <= end &&
      !CLAUSE.has(s.tokens[k]!.norm) &&
      s.word(k) !== 'then' &&
      !(s.word(k) === '-' && s.word(k + 1) === '>')
    )
      k++;
    antLast = k - 1;
    thenFirst = s.word(k) === '-' ? k + 2 : k + 1;
    thenLast = end;
  }
  if (prefix && clauseStart > 0 && windowAt(s, 0) !== undefined) antFirst = 0;
  const ant = antecedent(s, antFirst === 0 ? 0 : antFirst, antLast);
  if (ant.metric === undefined && ant.threshold === null) return undefined;
  let read = ant;
  for (let k = thenFirst; k <= thenLast && read.window === undefined; k++) {
    const win = windowAt(s, k);
    if (win !== undefined) read = { ...read, window: win.iso };
  }
  const thenText = thenFirst <= thenLast ? textOf(s, thenFirst, thenLast) : '';
  const first = Math.min(antFirst === 0 ? 0 : t, thenFirst);
  s.claim(first, claimEnd);
  return {
    ...read,
    then: words(s, thenFirst, thenLast),
    thenText,
    span: s.span(first, claimEnd),
  };
}

function textOf(s: Scanner, first: number, last: number): string {
  return s.tokens
    .slice(first, last + 1)
    .map((tok, k) => (k > 0 && tok.spaced ? ` ${tok.raw}` : tok.raw))
    .join('')
    .replace(/^also\s+/i, '');
}
