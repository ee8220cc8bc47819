/**
 * @module
 * The shared vocabulary of the clause grammar: a `Scanner` over one sentence's tokens that
 * knows which tokens a matcher has already claimed, and the `Item`s matchers produce (time
 * attributes, channel mentions, action verbs) with their spans.
 */
import type { DateTime } from 'luxon';
import type { ChannelWord } from './channel-lexicon.js';
import type { Token } from './tokenize-text.js';
import type { StepAction } from '../spec/platforms.js';

/** A diagnostic code about a time attribute. */
export type TimeProblem =
  | 'am_pm_missing'
  | 'nonexistent_date'
  | 'past_date'
  | 'ambiguous_relative_date'
  | 'missing_day'
  | 'ambiguous_date';

/** What a phrase of time says. */
export type Attr =
  | { readonly type: 'clock'; readonly time?: string; readonly problem?: TimeProblem }
  | {
      readonly type: 'date';
      readonly date?: string;
      readonly problem?: TimeProblem;
      readonly role?: 'start' | 'until';
      /** A holiday's date gives way to a date stated outright ("the Black Friday email … on Thursday Nov 26"). */
      readonly weak?: boolean;
    }
  | { readonly type: 'zone'; readonly zone: string }
  | { readonly type: 'local' }
  | { readonly type: 'recur'; readonly recurrence: string; readonly needsDay?: boolean }
  | {
      readonly type: 'relative';
      readonly offset: string;
      /** Normalised words naming the step it is anchored to; empty for the previous step. */
      readonly anchor: readonly string[];
    }
  | { readonly type: 'anchor' }
  | { readonly type: 'now' }
  | { readonly type: 'same'; readonly what: 'day' | 'time' }
  | { readonly type: 'count'; readonly count: number }
  | { readonly type: 'budget'; readonly amount: number; readonly period: 'daily' | 'lifetime' };

/** A matched phrase: a time attribute, a channel mention or an action verb. */
export type Item =
  | { readonly kind: 'attr'; readonly attr: Attr; readonly first: number; readonly last: number }
  | {
      readonly kind: 'channel';
      readonly word: ChannelWord;
      readonly chat?: string;
      readonly first: number;
      readonly last: number;
    }
  | {
      readonly kind: 'verb';
      readonly action: StepAction;
      /** "Boost" turns a Facebook or Instagram post into Meta ads. */
      readonly boost?: boolean;
      readonly first: number;
      readonly last: number;
    }
  | { readonly kind: 'boundary'; readonly first: number; readonly last: number };

/** Parser settings shared by the matchers. */
export interface ScanContext {
  /** The reference "now", in the zone dates are read in. */
  readonly now: DateTime;
}

/** Tokens of one sentence, with the claims matchers made on them. */
export class Scanner {
  readonly tokens: readonly Token[];
  readonly claimed: boolean[];

  constructor(tokens: readonly Token[]) {
    this.tokens = tokens;
    this.claimed = tokens.map(() => false);
  }

  /** The normalised word at `i`, or `''` when claimed or out of range. */
  word(i: number): string {
    const t = this.tokens[i];
    return t === undefined || this.claimed[i] ? '' : t.norm;
  }

  /** The token at `i` when it is an unclaimed number. */
  number(i: number): number | undefined {
    const t = this.tokens[i];
    return t !== undefined && t.kind === 'number' && !this.claimed[i] ? t.value : undefined;
  }

  /** True when the words from `i` on are `phrase` (space-separated). */
  phrase(i: number, phrase: string): boolean {
    return phrase.split(' ').every((w, k) => this.word(i + k) === w);
  }

  /** Marks tokens `first..last` as used. */
  claim(first: number, last: number): void {
    for (let k = first; k <= last; k++) this.claimed[k] = true;
  }

  /** `[start, end)` character span of tokens `first..last`. */
  span(first: number, last: number): [number, number] {
    return [this.tokens[first]!.start, this.tokens[last]!.end];
  }
}

/** Runs `match` at every unclaimed token, claiming what it matches. */
export function scanAll(scanner: Scanner, match: (i: number) => Item | undefined): Item[] {
  const items: Item[] = [];
  for (let i = 0; i < scanner.tokens.length; i++) {
    if (scanner.claimed[i]) continue;
    const item = match(i);
    if (item === undefined) continue;
    scanner.claim(item.first, item.last);
    items.push(item);
  }
  return items;
}
