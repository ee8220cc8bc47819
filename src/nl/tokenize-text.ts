/**
 * @module
 * The tokenizer of the plain-English parser: one linear pass over the text that yields words,
 * numbers, clock times, punctuation, `#channel` names and IANA zone names, each with its
 * `[start, end)` span. No regular expression runs over the whole text, so no input can make
 * it backtrack.
 */
import { isValidZone } from '../spec/timing-schema.js';
import { correctTypo } from './typo-correction.js';

/** What a token is. */
export type TokenKind = 'word' | 'number' | 'clock' | 'punct' | 'channel' | 'zone';

/** One token of the input. */
export interface Token {
  readonly kind: TokenKind;
  /** The text as written. */
  readonly raw: string;
  /** Lower-case, accent-free, typo-corrected form used for matching. */
  readonly norm: string;
  /** Numeric value of numbers (and of the hour of clock times). */
  readonly value: number;
  readonly start: number;
  readonly end: number;
  /** True when a space or line break comes right before the token. */
  readonly spaced: boolean;
}

const isLetter = (c: string): boolean => /\p{L}/u.test(c);
const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isWordChar = (c: string): boolean => isLetter(c) || isDigit(c);
const PUNCT = new Set([
  ',',
  '.',
  ':',
  ';',
  '!',
  '?',
  '+',
  '&',
  '$',
  '€',
  '£',
  '%',
  '/',
  '(',
  ')',
  "'",
  '"',
  '-',
  '>',
  '<',
  '=',
  '\n',
]);
const DASHES = new Set(['–', '—', '‑', '−']);
const QUOTES = new Map([
  ['‘', "'"],
  ['’', "'"],
  ['“', '"'],
  ['”', '"'],
]);

/** Lower-cases and strips accents: `São` → `sao`. */
export function normalizeWord(raw: string): string {
  return raw.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * Splits text into tokens.
 * @example
 * tokenize('8am ET').map((t) => t.norm); // ['8', 'am', 'et']
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let spaced = true;
  const push = (kind: TokenKind, start: number, end: number, norm: string, value = NaN): void => {
    tokens.push({ kind, raw: text.slice(start, end), norm, value, start, end, spaced });
    spaced = false;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n') {
      push('punct', i, i + 1, '\n');
      spaced = true;
      i++;
    } else if (isDigit(c)) {
      i = readNumber(text, i, push);
    } else if (isLetter(c)) {
      i = readWord(text, i, push);
    } else if (c === '#' && i + 1 < text.length && isWordChar(text[i + 1]!)) {
      let j = i + 1;
      while (j < text.length && (isWordChar(text[j]!) || text[j] === '-' || text[j] === '_')) j++;
      push('channel', i, j, normalizeWord(text.slice(i, j)));
      i = j;
    } else if (PUNCT.has(c) || DASHES.has(c) || QUOTES.has(c)) {
      push('punct', i, i + 1, DASHES.has(c) ? '-' : (QUOTES.get(c) ?? c));
      i++;
    } else {
      spaced = true;
      i++;
    }
  }
  return tokens;
}

type Push = (kind: TokenKind, start: number, end: number, norm: string, value?: number) => void;

function readDigits(text: string, from: number): number {
  let j = from;
  while (j < text.length && isDigit(text[j]!)) j++;
  return j;
}

function readNumber(text: string, i: number, push: Push): number {
  let j = readDigits(text, i);
  const sep = text[j];
  const next = text[j + 1];
  if (sep === ':' && next !== undefined && isDigit(next) && j - i <= 2) {
    const k = readDigits(text, j + 1);
    push('clock', i, k, text.slice(i, k), Number(text.slice(i, j)));
    return k;
  }
  if ((sep === '.' || sep === ',') && next !== undefined && isDigit(next)) {
    const k = readDigits(text, j + 1);
    const thousands = sep === ',' && k - j === 4;
    if (sep === '.' || thousands) {
      const digits = text.slice(i, k).replace(',', '');
      return pushAmount(text, i, k, Number(digits), push);
    }
  }
  if (CURRENCIES.has(text[i - 1] ?? ''))
    return pushAmount(text, i, j, Number(text.slice(i, j)), push);
  const value = Number(text.slice(i, j));
  const suffix = text.slice(j, j + 2).toLowerCase();
  if (['st', 'nd', 'rd', 'th'].includes(suffix) && !isLetter(text[j + 2] ?? ' ')) j += 2;
  push('number', i, j, String(value), value);
  return j;
}

const CURRENCIES = new Set(['$', '€', '£']);
const MULTIPLIERS = new Map([
  ['k', 1e3],
  ['m', 1e6],
  ['mm', 1e6],
  ['bn', 1e9],
]);

/** A number, with a money multiplier after it when a currency sign precedes it ("$5k", "€1.5m"). */
function pushAmount(text: string, i: number, end: number, value: number, push: Push): number {
  let j = end;
  while (j < text.length && isLetter(text[j]!) && j - end < 3) j++;
  const factor = CURRENCIES.has(text[i - 1] ?? '')
    ? MULTIPLIERS.get(text.slice(end, j).toLowerCase())
    : undefined;
  if (factor === undefined || (j < text.length && isLetter(text[j]!))) {
    push('number', i, end, String(value), value);
    return end;
  }
  const amount = Math.round(value * factor);
  push('number', i, j, String(amount), amount);
  return j;
}

function readWord(text: string, i: number, push: Push): number {
  const zoneEnd = readZoneName(text, i);
  if (zoneEnd > i) {
    push('zone', i, zoneEnd, text.slice(i, zoneEnd));
    return zoneEnd;
  }
  let j = i;
  let norm = '';
  let dotted = false;
  for (;;) {
    while (j < text.length && isWordChar(text[j]!)) norm += text[j++]!;
    const joiner = text[j];
    const after = text[j + 1];
    if (after === undefined || !isWordChar(after)) break;
    const possessive = (after === 's' || after === 'S') && !isWordChar(text[j + 2] ?? ' ');
    if ((joiner === "'" || joiner === '’') && possessive) {
      j += 2;
      break;
    }
    if (joiner === "'" || joiner === '’') j++;
    else if (joiner === '-' || joiner === '‑' || (joiner === '.' && j - i === 1 && after === 'm')) {
      dotted ||= joiner === '.';
      norm += joiner === '.' ? '' : '-';
      j++;
    } else break;
  }
  if (dotted && text[j] === '.') j++;
  const lower = normalizeWord(norm);
  push('word', i, j, correctTypo(lower));
  return j;
}

/** Reads `America/New_York`-style zone names; returns `i` when there is none. */
function readZoneName(text: string, i: number): number {
  let j = i;
  let slashes = 0;
  while (j < text.length && j - i < 40) {
    const c = text[j]!;
    if (c === '/') slashes++;
    else if (!(isLetter(c) || c === '_' || c === '-')) break;
    j++;
  }
  if (slashes === 0 || text[j - 1] === '/') return i;
  return isValidZone(text.slice(i, j)) ? j : i;
}
