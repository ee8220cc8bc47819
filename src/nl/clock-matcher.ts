/**
 * @module
 * Matchers for clock times ("8am", "9:30 p.m.", "18:00", "19h", "noon", "at 7"), time zones
 * (IANA names, "ET", "Berlin time", "9am Eastern") and recipient-local delivery ("in each
 * recipient's local time", "their time zone").
 */
import type { Item, Scanner } from './text-scanner.js';
import { ZONE_ABBREVIATIONS, ZONE_WORDS } from './time-lexicon.js';

const pad = (n: number): string => String(n).padStart(2, '0');
const hhmm = (h: number, m: number): string => `${pad(h)}:${pad(m)}`;
const UNIT_AFTER = new Set([
  '%',
  'days',
  'day',
  'hours',
  'hour',
  'minutes',
  'weeks',
  'times',
  'h',
  'd',
  'm',
  'pm',
  'am',
]);

function meridiem(s: Scanner, i: number): 'am' | 'pm' | undefined {
  const w = s.word(i);
  if (w === 'am' || w === 'pm') return w;
  if (s.phrase(i, 'in the morning')) return 'am';
  if (s.phrase(i, 'in the evening') || s.phrase(i, 'in the afternoon') || s.phrase(i, 'at night'))
    return 'pm';
  return undefined;
}

function meridiemLength(s: Scanner, i: number): number {
  return s.word(i) === 'am' || s.word(i) === 'pm' ? 1 : s.word(i + 1) === 'the' ? 3 : 2;
}

function withMeridiem(h: number, m: number, ampm: 'am' | 'pm'): string | undefined {
  if (h < 1 || h > 12 || m > 59) return undefined;
  return hhmm((h % 12) + (ampm === 'pm' ? 12 : 0), m);
}

function clockItem(first: number, last: number, h: number, m: number): Item {
  if (h >= 13 && h <= 23 && m <= 59)
    return { kind: 'attr', attr: { type: 'clock', time: hhmm(h, m) }, first, last };
  return { kind: 'attr', attr: { type: 'clock', problem: 'am_pm_missing' }, first, last };
}

/** A clock time starting at token `i`. */
export function matchClock(s: Scanner, i: number): Item | undefined {
  const t = s.tokens[i]!;
  const w = s.word(i);
  if (w === 'noon' || w === 'midday')
    return { kind: 'attr', attr: { type: 'clock', time: '12:00' }, first: i, last: i };
  if (w === 'midnight')
    return { kind: 'attr', attr: { type: 'clock', time: '00:00' }, first: i, last: i };
  if (t.kind !== 'clock' && t.kind !== 'number') return undefined;
  const dotted = t.kind === 'number' && t.raw.includes('.') && t.raw.indexOf('.') <= 2;
  const h = dotted ? Number(t.raw.slice(0, t.raw.indexOf('.'))) : t.value;
  const m = t.kind === 'clock' || dotted ? Number(t.raw.slice(t.raw.search(/[:.]/) + 1)) : 0;
  const ampm = meridiem(s, i + 1);
  if (ampm !== undefined && (t.kind === 'clock' || dotted || t.raw.length <= 2)) {
    const time = withMeridiem(h, m, ampm);
    const last = i + meridiemLength(s, i + 1);
    return time === undefined
      ? undefined
      : { kind: 'attr', attr: { type: 'clock', time }, first: i, last };
  }
  if (t.kind === 'clock') {
    if (m > 59 || h > 23) return undefined;
    // "10:00" and "12:30" are read as a 24-hour clock; "9:00" and "5:45" are asked about.
    const explicit = t.raw.startsWith('0') || h === 0 || h >= 10;
    if (explicit)
      return { kind: 'attr', attr: { type: 'clock', time: hhmm(h, m) }, first: i, last: i };
    return clockItem(i, i, h, m);
  }
  const hWord = s.word(i + 1);
  const hMinutes =
    hWord.length === 3 && hWord.startsWith('h') ? Number(hWord.slice(1)) : hWord === 'h' ? 0 : NaN;
  if (hMinutes >= 0 && hMinutes <= 59 && h <= 23 && t.raw.length <= 2) {
    return {
      kind: 'attr',
      attr: { type: 'clock', time: hhmm(h, hMinutes) },
      first: i,
      last: i + 1,
    };
  }
  if (s.word(i + 1) === 'oclock') {
    const said = meridiem(s, i + 2);
    const time = said === undefined ? undefined : withMeridiem(h, 0, said);
    return time === undefined
      ? clockItem(i, i + 1, h, 0)
      : {
          kind: 'attr',
          attr: { type: 'clock', time },
          first: i,
          last: i + 1 + meridiemLength(s, i + 2),
        };
  }
  if (
    s.tokens[i - 1]?.norm === 'at' &&
    h <= 23 &&
    t.raw.length <= 2 &&
    !UNIT_AFTER.has(s.tokens[i + 1]?.norm ?? '')
  ) {
    return clockItem(i, i, h, 0);
  }
  return undefined;
}

const TIME_WORDS = new Set(['time', 'timezone', 'tz']);

const CLOCK_ENDS = new Set([
  'am',
  'pm',
  'h',
  'noon',
  'midday',
  'midnight',
  'morning',
  'evening',
  'afternoon',
  'night',
  'oclock',
]);

function clockBefore(s: Scanner, i: number): boolean {
  const prev = s.tokens[i - 1];
  return (
    prev !== undefined &&
    s.claimed[i - 1] === true &&
    (prev.kind === 'clock' || prev.kind === 'number' || CLOCK_ENDS.has(prev.norm))
  );
}

/** A time zone starting at token `i`. */
export function matchZone(s: Scanner, i: number): Item | undefined {
  const t = s.tokens[i]!;
  if (t.kind === 'zone') {
    const last = TIME_WORDS.has(s.word(i + 1)) ? i + 1 : i;
    return { kind: 'attr', attr: { type: 'zone', zone: t.raw }, first: i, last };
  }
  for (const n of [2, 1]) {
    const key = Array.from({ length: n }, (_, k) => s.word(i + k)).join(' ');
    const zone = ZONE_WORDS.get(key);
    if (zone === undefined) continue;
    const end = i + n;
    if (TIME_WORDS.has(s.word(end))) {
      const last = s.word(end + 1) === 'zone' ? end + 1 : end;
      return { kind: 'attr', attr: { type: 'zone', zone }, first: i, last };
    }
    if (clockBefore(s, i) && (n === 2 || ZONE_ABBREVIATIONS.has(key) || /^[A-Z]/.test(t.raw))) {
      return { kind: 'attr', attr: { type: 'zone', zone }, first: i, last: end - 1 };
    }
  }
  return undefined;
}

const LOCAL_OWNERS = new Set([
  'each',
  'their',
  'recipients',
  'recipient',
  'subscribers',
  'subscriber',
  'customers',
  'customer',
  'users',
  'user',
  'own',
  'everyone',
  'everyones',
]);

/** "Each recipient's local time", "their time zone", "local time" starting at token `i`. */
export function matchLocal(s: Scanner, i: number): Item | undefined {
  const w = s.word(i);
  if (w === 'local' && (s.word(i + 1) === 'time' || clockBefore(s, i)))
    return {
      kind: 'attr',
      attr: { type: 'local' },
      first: i,
      last: s.word(i + 1) === 'time' ? i + 1 : i,
    };
  if (!LOCAL_OWNERS.has(w)) return undefined;
  for (let k = i + 1; k <= i + 4; k++) {
    const v = s.word(k);
    if (v === 'local')
      return {
        kind: 'attr',
        attr: { type: 'local' },
        first: i,
        last: s.word(k + 1) === 'time' ? k + 1 : k,
      };
    if (v === 'timezone' || v === 'tz')
      return { kind: 'attr', attr: { type: 'local' }, first: i, last: k };
    if (v === 'time' && s.word(k + 1) === 'zone')
      return { kind: 'attr', attr: { type: 'local' }, first: i, last: k + 1 };
  }
  return undefined;
}
