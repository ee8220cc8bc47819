/**
 * @module
 * Matchers for recurrences: "daily", "every weekday", "every Monday and Thursday", "Mondays",
 * "every other Thursday", "last Friday of every month", "monthly on the 15th", "every 2 hours".
 */
import type { Item, Scanner } from './text-scanner.js';
import { DAY_CODES, WEEKDAYS } from './time-lexicon.js';

const ORDINALS = new Map([
  ['first', 'first'],
  ['1st', 'first'],
  ['second', 'second'],
  ['third', 'third'],
  ['fourth', 'fourth'],
  ['last', 'last'],
  ['1', 'first'],
  ['2', 'second'],
  ['3', 'third'],
  ['4', 'fourth'],
]);

/** "every day", "every night", "every morning": daily. */
const DAILY = new Set(['day', 'night', 'morning', 'evening', 'afternoon']);

const recur = (recurrence: string, first: number, last: number, needsDay = false): Item => ({
  kind: 'attr',
  attr: needsDay ? { type: 'recur', recurrence, needsDay } : { type: 'recur', recurrence },
  first,
  last,
});

/** Weekday codes listed from `i` ("Monday, Wednesday and Friday"), with the last token used. */
function weekdayList(s: Scanner, i: number): { codes: string[]; last: number } {
  const codes: string[] = [];
  let k = i;
  let last = i - 1;
  while (k < s.tokens.length) {
    const day = WEEKDAYS.get(s.word(k));
    if (day === undefined) break;
    const code = DAY_CODES[day - 1]!;
    if (!codes.includes(code)) codes.push(code);
    last = k;
    const sep = s.word(k + 1);
    k += sep === ',' || sep === 'and' || sep === '&' ? 2 : 1;
  }
  return { codes, last };
}

function weekly(s: Scanner, i: number, from: number, kind: 'weekly' | 'biweekly'): Item {
  const at = s.word(from) === 'on' ? from + 1 : from;
  const list = weekdayList(s, at);
  if (list.codes.length === 0) return recur(kind, i, from - 1, true);
  return recur(`${kind}:${list.codes.join(',')}`, i, list.last);
}

function monthlyByDay(s: Scanner, i: number, at: number): Item | undefined {
  const ordinal = ORDINALS.get(s.word(at));
  const day = WEEKDAYS.get(s.word(at + 1));
  if (ordinal !== undefined && day !== undefined)
    return recur(`monthly:${ordinal}-${DAY_CODES[day - 1]!}`, i, at + 1);
  const n = s.number(at);
  if (n !== undefined && n >= 1 && n <= 31) return recur(`monthly:${n}`, i, at);
  return undefined;
}

/** A recurrence starting at token `i`. */
export function matchRecurrence(s: Scanner, i: number): Item | undefined {
  const w = s.word(i);
  const next = s.word(i + 1);
  if (w === 'daily' || w === 'nightly' || ((w === 'every' || w === 'each') && DAILY.has(next)))
    return recur('daily', i, w === 'daily' || w === 'nightly' ? i : i + 1);
  if (w === 'weekdays' || w === 'mon-fri' || s.phrase(i, 'monday to friday'))
    return recur('weekdays', i, w === 'monday' ? i + 2 : i);
  if ((w === 'every' || w === 'each') && next === 'weekday') return recur('weekdays', i, i + 1);
  if (w === 'hourly') return recur('every:PT1H', i, i);
  if (w === 'every' && (next === 'hour' || next === 'hours')) return recur('every:PT1H', i, i + 1);
  const n = s.number(i + 1);
  if (
    w === 'every' &&
    n !== undefined &&
    n > 0 &&
    ['hours', 'minutes', 'mins'].includes(s.word(i + 2))
  ) {
    return recur(`every:PT${n}${s.word(i + 2) === 'hours' ? 'H' : 'M'}`, i, i + 2);
  }
  if (w === 'every' && (next === 'other' || next === 'second'))
    return weekly(s, i, i + 2, 'biweekly');
  if (w === 'every' && (s.phrase(i + 1, 'two weeks') || s.phrase(i + 1, '2 weeks')))
    return weekly(s, i, i + 3, 'biweekly');
  if (w === 'biweekly' || w === 'fortnightly') return weekly(s, i, i + 1, 'biweekly');
  if (w === 'weekly') return weekly(s, i, i + 1, 'weekly');
  if ((w === 'every' || w === 'each') && s.phrase(i + 1, 'monday to friday'))
    return recur('weekdays', i, i + 3);
  if ((w === 'every' || w === 'each') && WEEKDAYS.has(next)) return weekly(s, i, i + 1, 'weekly');
  if (WEEKDAYS.has(w) && w.endsWith('days')) return weekly(s, i, i, 'weekly');
  const ordinal = ORDINALS.get(w);
  const day = WEEKDAYS.get(next);
  if (ordinal !== undefined && day !== undefined && s.word(i + 2) === 'of') {
    const at = ['every', 'each', 'the'].includes(s.word(i + 3)) ? i + 4 : i + 3;
    if (s.word(at) === 'month') return recur(`monthly:${ordinal}-${DAY_CODES[day - 1]!}`, i, at);
  }
  if (w === 'monthly' || (w === 'every' && next === 'month')) {
    const from = w === 'monthly' ? i + 1 : i + 2;
    const at = s.phrase(from, 'on the') ? from + 2 : s.word(from) === 'on' ? from + 1 : from;
    return monthlyByDay(s, i, at);
  }
  if (
    s.phrase(i, 'on the') &&
    (s.phrase(i + 3, 'of every month') || s.phrase(i + 3, 'of each month'))
  ) {
    const item = monthlyByDay(s, i, i + 2);
    if (item !== undefined) return { ...item, last: i + 5 };
  }
  return undefined;
}
