/**
 * @module
 * Splits tokens into sentences and runs every matcher over each, in a fixed order so that
 * larger phrases claim their words first: conditions, audience filters, relative timing,
 * recurrences, dates, clock times, zones, recipient-local words, misc, channels, verbs.
 */
import {
  type AudienceFact,
  matchAge,
  matchGroup,
  matchLanguage,
  matchPlace,
  matchTier,
} from './audience-matcher.js';
import { matchBehavior } from './behavior-matcher.js';
import { matchChannel, matchVerb } from './channel-matcher.js';
import { matchClock, matchLocal, matchZone } from './clock-matcher.js';
import { type RawCondition, matchCondition, metricAt } from './condition-matcher.js';
import type { MetricName } from '../spec/condition-schema.js';
import { matchDate } from './date-matcher.js';
import { matchRecurrence } from './recurrence-matcher.js';
import { matchAnchorWord, matchBudget, matchMisc, matchRelative } from './relative-matcher.js';
import { type Item, type ScanContext, Scanner, scanAll } from './text-scanner.js';
import type { Token } from './tokenize-text.js';
import { UNITS, isoDuration } from './time-lexicon.js';

/** Everything the matchers found in one sentence. */
export interface SentenceReading {
  readonly scanner: Scanner;
  /** Items in text order. */
  readonly items: readonly Item[];
  readonly audience: readonly (AudienceFact & { readonly span: readonly [number, number] })[];
  readonly condition?: RawCondition;
  /** True when the sentence sets up an A/B test ("A/B test two subject lines"). */
  readonly abTest: boolean;
  /** The metric the sentence names, for "send the winner (best open rate)". */
  readonly metric?: MetricName;
}

const ENDS = new Set(['.', '!', '?', '\n']);

/** Splits tokens at sentence ends and line breaks ("Dec. 4" does not end a sentence). */
export function splitSentences(tokens: readonly Token[]): Token[][] {
  const sentences: Token[][] = [];
  let current: Token[] = [];
  tokens.forEach((t, i) => {
    const next = tokens[i + 1];
    const abbreviation =
      t.norm === '.' && next !== undefined && next.kind === 'number' && !next.spaced;
    if (ENDS.has(t.norm) && !abbreviation) {
      if (current.length > 0) sentences.push(current);
      current = [];
    } else current.push(t);
  });
  if (current.length > 0) sentences.push(current);
  return sentences;
}

const START_WORDS = new Set(['starting', 'start', 'starts', 'from', 'beginning', 'begins']);
const UNTIL_WORDS = new Set(['until', 'till', 'through', 'thru', 'ending', 'ends']);

/** Marks a date as a recurrence start or end when "starting", "first one", "until"… precede it. */
function withRole(s: Scanner, item: Item | undefined): Item | undefined {
  if (item === undefined || item.kind !== 'attr' || item.attr.type !== 'date') return item;
  const k = s.tokens[item.first - 1]?.norm === 'on' ? item.first - 2 : item.first - 1;
  const w = s.tokens[k]?.norm ?? '';
  const firstOne = w === 'one' && s.tokens[k - 1]?.norm === 'first';
  if (START_WORDS.has(w) || firstOne)
    return { ...item, attr: { ...item.attr, role: 'start' }, first: firstOne ? k - 1 : k };
  if (UNTIL_WORDS.has(w)) return { ...item, attr: { ...item.attr, role: 'until' }, first: k };
  return item;
}

function readAudience(s: Scanner): SentenceReading['audience'] {
  const facts: (AudienceFact & { span: readonly [number, number] })[] = [];
  for (let i = 0; i < s.tokens.length; i++) {
    if (s.claimed[i]) continue;
    const found =
      matchAge(s, i) ??
      matchLanguage(s, i) ??
      matchTier(s, i) ??
      matchBehavior(s, i) ??
      matchPlace(s, i) ??
      matchGroup(s, i);
    if (found === undefined) continue;
    s.claim(found.first, found.last);
    facts.push({ ...found, span: s.span(found.first, found.last) });
    if (found.field === 'last_open' && clicked(s, found.first, found.last))
      facts.push({ ...found, field: 'last_click', span: s.span(found.first, found.last) });
    const but =
      found.field === 'purchase_count' && found.window !== undefined
        ? butNotWithin(s, found.last + 1, found.window)
        : undefined;
    if (but !== undefined) {
      s.claim(found.last + 1, but.last);
      facts.push(but);
      i = but.last;
    }
  }
  return facts;
}

/** "opened or clicked in the last 60 days": the window covers the click as well. */
function clicked(s: Scanner, first: number, last: number): boolean {
  return s.tokens
    .slice(first, last + 1)
    .some((t, k) => t.norm === 'clicked' && ['or', 'and'].includes(s.tokens[first + k - 1]!.norm));
}

/**
 * "bought in the last 30 days but not in the last 7": the exclusion after a windowed fact, in
 * the unit of the first window when it gives none.
 */
function butNotWithin(
  s: Scanner,
  k: number,
  first: string,
): (AudienceFact & { span: readonly [number, number] }) | undefined {
  let j = k;
  if (s.word(j) !== 'but' || s.word(j + 1) !== 'not') return undefined;
  j += 2;
  if (['in', 'within', 'during', 'over'].includes(s.word(j))) j++;
  if (s.word(j) === 'the') j++;
  const n = s.word(j) === 'last' || s.word(j) === 'past' ? s.number(j + 1) : undefined;
  if (n === undefined) return undefined;
  const unit = UNITS.get(s.word(j + 2));
  const window =
    unit === undefined || unit === 'TM' ? first.replace(/\d+/, String(n)) : isoDuration(n, unit);
  const last = unit === undefined ? j + 1 : j + 2;
  const fact = { field: 'purchase_count', op: 'eq', value: 0, window, first: k, last };
  return { ...fact, span: s.span(k, last) };
}

const AB_WORDS = new Set([
  'variants',
  'variant',
  'split-test',
  'ab',
  'versions',
  'creatives',
  'headlines',
]);

/** Whether the sentence sets up an A/B test, and the first metric it names. */
function abCues(s: Scanner): { abTest: boolean; metric?: MetricName } {
  let abTest = false;
  let metric: MetricName | undefined;
  s.tokens.forEach((t, k) => {
    abTest ||=
      AB_WORDS.has(t.norm) ||
      (t.norm === 'a' && s.word(k + 1) === '/' && s.word(k + 2) === 'b') ||
      (t.norm === 'subject' && s.word(k + 1) === 'lines');
    metric ??= metricAt(s, k)?.metric;
  });
  return metric === undefined ? { abTest } : { abTest, metric };
}

/** Runs every matcher over one sentence. */
export function readSentence(tokens: readonly Token[], ctx: ScanContext): SentenceReading {
  const s = new Scanner(tokens);
  const cues = abCues(s);
  const condition = matchCondition(s);
  const audience = readAudience(s);
  const items = [
    ...scanAll(s, (i) => matchBudget(s, i)),
    ...scanAll(s, (i) => matchRelative(s, i)),
    ...scanAll(s, (i) => matchRecurrence(s, i)),
    ...scanAll(s, (i) => withRole(s, matchDate(s, i, ctx))),
    ...scanAll(s, (i) => matchClock(s, i)),
    ...scanAll(s, (i) => matchZone(s, i)),
    ...scanAll(s, (i) => matchLocal(s, i)),
    ...scanAll(s, (i) => matchMisc(s, i)),
    ...scanAll(s, (i) => matchAnchorWord(s, i)),
    ...scanAll(s, (i) => matchChannel(s, i)),
    ...scanAll(s, (i) => matchVerb(s, i)),
  ].sort((a, b) => a.first - b.first);
  return condition === undefined
    ? { scanner: s, items, audience, ...cues }
    : { scanner: s, items, audience, condition, ...cues };
}
