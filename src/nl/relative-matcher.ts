/**
 * @module
 * Matchers for timing relative to other steps ("2 days after the blog goes up", "an hour
 * later", "once X, Y"), "now", "the same day", "10 times", "start"/"until" markers and daily
 * budgets ("$300/day").
 */
import { CHANNEL_WORDS } from './channel-lexicon.js';
import type { Item, Scanner } from './text-scanner.js';
import { NUMBER_WORDS, UNITS, isoDuration } from './time-lexicon.js';

/** Words that may name the step an offset is anchored to, or say that it happened. */
export const ANCHOR_WORDS = new Set(
  `the our a an that this it its it's them they these those first launch launches launched
  post posts posted blog article page landing press release announcement email newsletter
  ads ad campaign campaigns video story send blast sms text message step is are was were goes
  go went gone up live out published publishes sent lands land starts start started has have
  been hits done ends finished delivered one same`.split(/\s+/),
);

const BOUNDARY = new Set([',', '.', ';', ':', '\n', '!', '?', '(', ')']);

/** A quantity and unit at `i` ("2 days", "an hour", "48h", "half an hour"). */
export function matchDuration(s: Scanner, i: number): { iso: string; last: number } | undefined {
  if (s.phrase(i, 'half an hour')) return { iso: 'PT30M', last: i + 2 };
  const n = s.number(i) ?? NUMBER_WORDS.get(s.word(i));
  const unit = UNITS.get(s.word(i + 1));
  if (n === undefined || unit === undefined) return undefined;
  if (s.tokens[i]!.kind === 'number' && !Number.isInteger(n)) return undefined;
  return { iso: isoDuration(n, unit), last: i + 1 };
}

/** The anchor phrase after "after" at `i`: its words and the last token used. */
export function anchorPhrase(s: Scanner, i: number): { words: string[]; last: number } {
  const words: string[] = [];
  let last = i - 1;
  for (let k = i; k < s.tokens.length && k < i + 10; k++) {
    const w = s.word(k);
    const known =
      ANCHOR_WORDS.has(w) ||
      CHANNEL_WORDS.has(w) ||
      w === 'step' ||
      (words.at(-1) === 'step' && s.number(k) !== undefined);
    if (BOUNDARY.has(w) || !known) break;
    words.push(s.tokens[k]!.kind === 'number' ? String(s.tokens[k]!.value) : w);
    last = k;
  }
  return { words, last };
}

function relative(offset: string, anchor: string[], first: number, last: number): Item {
  return { kind: 'attr', attr: { type: 'relative', offset, anchor }, first, last };
}

/** A relative offset starting at token `i`. */
export function matchRelative(s: Scanner, i: number): Item | undefined {
  if (
    s.phrase(i, 'the next day') ||
    s.phrase(i, 'the following day') ||
    (s.phrase(i, 'the day after') && s.word(i + 3) !== 'tomorrow')
  ) {
    return relative('P1D', [], i, i + 2);
  }
  if (s.word(i) === 'after') {
    const lead = matchDuration(s, i + 1);
    const w = lead === undefined ? '' : s.word(lead.last + 1);
    if (lead !== undefined && w !== 'after' && w !== 'later')
      return relative(lead.iso, [], i, lead.last);
  }
  const duration = matchDuration(s, i);
  if (duration === undefined) return undefined;
  const after = duration.last + 1;
  const w = s.word(after);
  if (w === 'later' || w === 'afterwards') return relative(duration.iso, [], i, after);
  if (w !== 'after') return undefined;
  const phrase = anchorPhrase(s, after + 1);
  return relative(duration.iso, phrase.words, i, Math.max(after, phrase.last));
}

/** "Once", "when", "as soon as", or "after" not followed by a duration: the start of an anchor clause. */
export function matchAnchorWord(s: Scanner, i: number): Item | undefined {
  const w = s.word(i);
  const item = (last: number): Item => ({ kind: 'attr', attr: { type: 'anchor' }, first: i, last });
  if (s.phrase(i, 'as soon as')) return item(i + 2);
  if (
    (w === 'once' || w === 'when' || w === 'after') &&
    !BOUNDARY.has(s.word(i + 1)) &&
    s.word(i + 1) !== ''
  ) {
    return matchDuration(s, i + 1) === undefined ? item(i) : undefined;
  }
  return undefined;
}

/** "Now", "the same day", "10 times", "$300/day" starting at token `i`. */
export function matchMisc(s: Scanner, i: number): Item | undefined {
  const w = s.word(i);
  const attr = (a: Extract<Item, { kind: 'attr' }>['attr'], last: number): Item => ({
    kind: 'attr',
    attr: a,
    first: i,
    last,
  });
  if (w === 'now' || w === 'immediately' || w === 'asap') return attr({ type: 'now' }, i);
  if (s.phrase(i, 'right away')) return attr({ type: 'now' }, i + 1);
  if (w === 'same' && ['day', 'night', 'date', 'evening', 'morning'].includes(s.word(i + 1)))
    return attr({ type: 'same', what: 'day' }, i + 1);
  if (w === 'same' && s.word(i + 1) === 'time') return attr({ type: 'same', what: 'time' }, i + 1);
  const n = s.number(i);
  if (n !== undefined && Number.isInteger(n) && n > 0 && s.word(i + 1) === 'times')
    return attr({ type: 'count', count: n }, i + 1);
  return undefined;
}

const CURRENCY = new Set(['$', '€', '£']);

/** A budget at `i`: "$300/day", "$100 daily budget", "daily budget of $50", "budget of $2,000". */
export function matchBudget(s: Scanner, i: number): Item | undefined {
  const item = (amount: number, period: 'daily' | 'lifetime', last: number): Item => ({
    kind: 'attr',
    attr: { type: 'budget', amount, period },
    first: i,
    last,
  });
  if (CURRENCY.has(s.word(i))) {
    const amount = s.number(i + 1);
    if (amount === undefined || amount <= 0) return undefined;
    const per = s.word(i + 2);
    if ((per === '/' || per === 'per' || per === 'a') && s.word(i + 3) === 'day')
      return item(amount, 'daily', i + 3);
    if (per === 'daily') return item(amount, 'daily', s.word(i + 3) === 'budget' ? i + 3 : i + 2);
    if (per === 'budget') return item(amount, 'lifetime', i + 2);
    if ((per === 'total' || per === 'lifetime') && s.word(i + 3) === 'budget')
      return item(amount, 'lifetime', i + 3);
    if (per === 'total' || per === 'lifetime' || per === 'in') {
      const last = per === 'in' ? (s.word(i + 3) === 'total' ? i + 3 : undefined) : i + 2;
      return last === undefined ? undefined : item(amount, 'lifetime', last);
    }
    return undefined;
  }
  const daily = s.word(i) === 'daily' ? 1 : 0;
  if (s.word(i + daily) !== 'budget') return undefined;
  const joiner = s.word(i + daily + 1);
  const at = joiner === 'of' || joiner === 'to' || joiner === 'at' ? i + daily + 2 : i + daily + 1;
  const amount = CURRENCY.has(s.word(at)) ? s.number(at + 1) : undefined;
  if (amount === undefined || amount <= 0) return undefined;
  const perDay = s.word(at + 2) === '/' && s.word(at + 3) === 'day';
  return item(amount, daily === 1 || perDay ? 'daily' : 'lifetime', perDay ? at + 3 : at + 1);
}
