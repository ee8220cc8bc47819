/**
 * @module
 * The words no matcher used and that carry meaning: numbers, money, percents, dates, times,
 * negations, comparisons, quantities and the words that narrow an audience ("our VIP
 * customers", "women"). Each run of them is reported as an `unread` diagnostic quoting the
 * words, so a misreading becomes a question instead of a silent change of plan. Words that
 * only carry the message's content ("the hero video") or grammar ("the", "on") are fillers.
 */
import type { Issue } from '../errors.js';
import { NEGATIONS, SCOPE_BREAKS } from './audience-lexicon.js';
import type { Scanner } from './text-scanner.js';
import { MONTHS } from './time-lexicon.js';

/** Words that change what a campaign does when they are left out. */
const MEANINGFUL = new Set(
  `night nights nightly morning mornings evening evenings afternoon afternoons weekend weekends
  weekday weekdays business end until till thru before year years month months quarter
  week weeks daily weekly monthly hourly yearly annually every tomorrow today tonight local
  straight consecutive row half third double twice triple thousand million hundred dozen
  percent more less fewer least most above below between if unless whichever better worse best
  worst lower higher lowest highest winner winning without single last past days hours weeks
  minutes`.split(/\s+/),
);

/** Audience words Herald has no data for: reported as `unsupported_audience`, which blocks. */
const UNSUPPORTED = new Set(
  'women men woman man female females male males gender moms dads mothers fathers ladies'.split(
    ' ',
  ),
);

/** Nouns naming people; a word before one narrows the audience ("loyal customers"). */
const PEOPLE_NOUNS = new Set(
  `customers customer subscribers subscriber users user members member buyers buyer shoppers
  shopper list fans followers audience contacts clients donors leads patients guests visitors
  attendees readers`.split(/\s+/),
);

/** Words that never narrow an audience when they stand before a people noun. */
const PLAIN = new Set(
  `the a an our all your my their its every each any whole entire full main email mailing
  newsletter sms text existing loyalty current to for and or of with who that this these those`.split(
    /\s+/,
  ),
);

const SYMBOLS = new Set(['$', '€', '£', '%']);

/** True when a claimed word follows `k` in its clause: a negation belongs to the fact it negates. */
function scoped(s: Scanner, k: number): boolean {
  const claimedIn = (from: number, step: number): boolean => {
    for (let j = from; j >= 0 && j < s.tokens.length; j += step) {
      if (SCOPE_BREAKS.has(s.tokens[j]!.norm)) return false;
      if (s.claimed[j]) return true;
    }
    return false;
  };
  return claimedIn(k + 1, 1);
}

function meaningful(s: Scanner, k: number): boolean {
  const t = s.tokens[k];
  if (t === undefined || s.claimed[k]) return false;
  if (t.kind === 'number' || t.kind === 'clock' || SYMBOLS.has(t.norm)) return true;
  if (NEGATIONS.has(t.norm)) return !scoped(s, k);
  if (MEANINGFUL.has(t.norm)) return true;
  if (MONTHS.has(t.norm) && t.norm !== 'may' && t.norm !== 'mar') return true;
  const next = s.tokens[k + 1];
  return (
    t.kind === 'word' &&
    !PLAIN.has(t.norm) &&
    next !== undefined &&
    !s.claimed[k + 1] &&
    PEOPLE_NOUNS.has(next.norm)
  );
}

/** `unread` diagnostics for the meaningful words of one sentence that no matcher used. */
export function unreadWords(s: Scanner): Issue[] {
  const issues: Issue[] = [];
  let k = 0;
  while (k < s.tokens.length) {
    if (!s.claimed[k] && UNSUPPORTED.has(s.tokens[k]!.norm)) {
      issues.push({
        code: 'unsupported_audience',
        path: ['audience'],
        span: s.span(k, k),
        message: 'Herald has no gender data, so it cannot narrow the audience this way',
        suggestions: ['use a segment that holds these people, e.g. "the \'Women\' segment"'],
      });
      k++;
      continue;
    }
    if (!meaningful(s, k)) {
      k++;
      continue;
    }
    let last = k;
    const free = (j: number): boolean =>
      j < s.tokens.length && !s.claimed[j] && s.tokens[j]!.kind !== 'punct';
    while (
      meaningful(s, last + 1) ||
      (free(last + 1) && PEOPLE_NOUNS.has(s.tokens[last + 1]!.norm)) ||
      (free(last + 1) && meaningful(s, last + 2))
    )
      last += meaningful(s, last + 1) || PEOPLE_NOUNS.has(s.tokens[last + 1]!.norm) ? 1 : 2;
    const span = s.span(k, last);
    issues.push({
      code: 'unread',
      path: [],
      span,
      message: 'these words were not understood and nothing was done with them',
      suggestions: ['rephrase them, or remove them if they do not matter'],
    });
    k = last + 1;
  }
  return issues;
}
