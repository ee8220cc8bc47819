/**
 * @module
 * Splits a sentence's items into clauses at the connectives left unclaimed by the matchers
 * (",", ";", ":", "and", "then", "plus", "+", parentheses). A clause opened by "once",
 * "when", "as soon as" or "after" is an anchor clause: it names the step the next clause
 * waits for, and ends at the first word that cannot belong to such a phrase.
 */
import { CHANNEL_WORDS } from './channel-lexicon.js';
import { ANCHOR_WORDS } from './relative-matcher.js';
import type { SentenceReading } from './sentence-reader.js';
import type { Item } from './text-scanner.js';

/** Items between two connectives. */
export interface Clause {
  readonly items: readonly Item[];
  /** True for "once / when / after X" clauses. */
  readonly anchor: boolean;
  /** Normalised unclaimed words of the clause. */
  readonly words: readonly string[];
}

const CONNECTIVES = new Set([
  ',',
  ';',
  ':',
  '+',
  '&',
  'and',
  'then',
  'plus',
  'also',
  '(',
  ')',
  '-',
]);
const ANCHOR_EXTRA = new Set(['at', 'on', 'in', 'by', 'of']);

/** The last token of the anchor clause opened at `kw`. */
function anchorEnd(reading: SentenceReading, kw: number, last: number): number {
  const s = reading.scanner;
  for (let k = kw + 1; k < s.tokens.length && k <= kw + 20; k++) {
    const w = s.tokens[k]!.norm;
    if (w === ';' || w === ':') break;
    if (w === ',') return k - 1;
  }
  let end = last;
  for (let k = kw + 1; k < s.tokens.length; k++) {
    const w = s.tokens[k]!.norm;
    if (w === ',' || w === ';' || w === ':') break;
    const fits =
      s.claimed[k] ||
      (s.tokens[k]!.kind === 'number' && s.tokens[k - 1]?.norm === 'step') ||
      ANCHOR_WORDS.has(w) ||
      CHANNEL_WORDS.has(w) ||
      ANCHOR_EXTRA.has(w) ||
      s.tokens[k]!.kind === 'channel';
    if (!fits) break;
    end = k;
  }
  return end;
}

/** Splits one sentence into clauses. */
export function splitClauses(reading: SentenceReading): Clause[] {
  const s = reading.scanner;
  const clauses: Clause[] = [];
  const byFirst = new Map<number, Item[]>();
  for (const item of reading.items)
    byFirst.set(item.first, [...(byFirst.get(item.first) ?? []), item]);
  let items: Item[] = [];
  let words: string[] = [];
  let anchorUntil = -1;
  const close = (anchor: boolean): void => {
    if (items.length > 0 || words.length > 0) clauses.push({ items, anchor, words });
    items = [];
    words = [];
  };
  for (let k = 0; k < s.tokens.length; k++) {
    const here = byFirst.get(k) ?? [];
    const opener = here.find((item) => item.kind === 'attr' && item.attr.type === 'anchor');
    if (opener !== undefined && anchorUntil < k) {
      close(false);
      anchorUntil = anchorEnd(reading, k, opener.last);
      continue;
    }
    items.push(...here);
    const w = s.tokens[k]!.norm;
    if (!s.claimed[k]) words.push(w);
    if (k === anchorUntil) close(true);
    else if (anchorUntil < k && !s.claimed[k] && CONNECTIVES.has(w)) {
      words.pop();
      close(false);
    }
  }
  close(false);
  return clauses;
}
