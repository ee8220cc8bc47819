/**
 * @module
 * Matchers for behavioural audience filters: purchase totals and counts over a period, recency
 * of opens and clicks, cart abandonment, consent and segment membership.
 */
import { type AudienceFact, negated, windowAfter } from './audience-matcher.js';
import type { Scanner } from './text-scanner.js';
import { NUMBER_WORDS } from './time-lexicon.js';

const SPEND = new Set(['spent', 'spend', 'spending', 'spenders']);
/** Words before "spend" that make it a customer's spending, not an instruction to spend. */
const SPEND_SUBJECTS = new Set(['who', 'that', 'customers', 'people', 'users', 'buyers', 'they']);
const BUY = new Set([
  'bought',
  'purchased',
  'purchases',
  'purchase',
  'orders',
  'ordered',
  'order',
  'buy',
]);
const OPEN = new Set(['opened', 'open', 'opens']);
const CLICK = new Set(['clicked', 'click', 'clicks']);
const CONSENT = new Set([
  'accepted',
  'agreed',
  'opted',
  'opt-in',
  'opted-in',
  'consent',
  'consented',
  'sms-consented',
  'email-consented',
  'subscribed',
]);

const fact = (
  field: string,
  op: string,
  value: AudienceFact['value'],
  first: number,
  last: number,
  window?: string,
): AudienceFact =>
  window === undefined
    ? { field, op, value, first, last }
    : { field, op, value, window, first, last };

/** "spent $500+ in the last 90 days", "spent over $150 in the last 12 months". */
function matchSpend(s: Scanner, i: number): AudienceFact | undefined {
  if (s.word(i) === 'spend' && !SPEND_SUBJECTS.has(s.tokens[i - 1]?.norm ?? '')) return undefined;
  let k = i + 1;
  let op = 'gte';
  if (s.word(k) === 'over' || s.word(k) === 'above' || s.phrase(k, 'more than')) op = 'gt';
  else if (s.word(k) === 'under' || s.word(k) === 'below' || s.phrase(k, 'less than')) op = 'lt';
  if (s.phrase(k, 'at least')) k += 2;
  else if (op !== 'gte') k += s.word(k) === 'more' || s.word(k) === 'less' ? 2 : 1;
  if (s.word(k) === '$' || s.word(k) === '€' || s.word(k) === '£') k++;
  const amount = s.number(k);
  if (amount === undefined) return undefined;
  let last = k;
  if (s.word(k + 1) === '+') last++;
  else if (s.phrase(k + 1, 'or more')) last += 2;
  const window = windowAfter(s, last + 1, 2);
  return fact('purchase_total', op, amount, i, window?.last ?? last, window?.iso);
}

/** "bought at least 5 times", "3+ purchases", "haven't purchased anything in 6 months". */
function matchBuy(s: Scanner, i: number): AudienceFact | undefined {
  let first = i;
  let op = 'gte';
  let count: number | undefined;
  let last = i;
  const before = s.number(i - 2);
  const right = s.number(i - 1);
  if (before !== undefined && s.word(i - 1) === '+') {
    count = before;
    first = i - 2;
  } else if (right !== undefined) {
    count = right;
    first = i - 1;
    if (s.word(i - 2) === 'over') op = 'gt';
    const phrase = ['more than', 'fewer than', 'less than', 'at least'].find((p) =>
      s.phrase(i - 3, p),
    );
    if (phrase !== undefined) first = i - 3;
    if (phrase === 'more than') op = 'gt';
    if (phrase === 'fewer than' || phrase === 'less than') op = 'lt';
  }
  const k = s.phrase(i + 1, 'at least') ? i + 3 : s.phrase(i + 1, 'more than') ? i + 3 : i + 1;
  if (k !== i + 1 && s.word(i + 1) === 'more') op = 'gt';
  const after = s.number(k) ?? NUMBER_WORDS.get(s.word(k));
  const orMore = s.phrase(k + 1, 'or more') ? 2 : 0;
  if (count === undefined && after !== undefined && s.word(k + 1 + orMore) === 'times') {
    count = after;
    last = k + 1 + orMore;
  } else if (count === undefined && (s.word(k) === 'twice' || s.word(k) === 'once')) {
    count = s.word(k) === 'twice' ? 2 : 1;
    last = k;
  }
  if (count === undefined && negated(s, i)) {
    count = 0;
    op = 'eq';
  }
  const window = windowAfter(s, last + 1, count === undefined ? 3 : 6);
  if (count === undefined && window === undefined) return undefined;
  return fact('purchase_count', op, count ?? 1, first, window?.last ?? last, window?.iso);
}

/** "opened in the last 60 days", "clicked an email in the last 7 days". */
function matchRecency(s: Scanner, i: number, field: string): AudienceFact | undefined {
  const window = windowAfter(s, i + 1, 4);
  if (window === undefined) return undefined;
  return fact(field, negated(s, i) ? 'not_within_last' : 'within_last', window.iso, i, window.last);
}

function matchConsent(s: Scanner, i: number): AudienceFact | undefined {
  const w = s.word(i);
  const channel = (k: number): string | undefined => {
    const v = s.tokens[k]?.norm ?? '';
    if (v === 'sms' || v === 'text' || v === 'texts' || w.startsWith('sms')) return 'consent_sms';
    if (v === 'email' || v === 'emails' || v === 'newsletter' || w.startsWith('email'))
      return 'consent_email';
    return undefined;
  };
  for (const k of [i, i - 1, i + 1, i + 2, i + 3, i + 4]) {
    const field = channel(k);
    if (field !== undefined) return fact(field, 'eq', true, Math.min(i, k), Math.max(i, k));
  }
  return undefined;
}

/** "the 'VIP' segment", "segment: VIP", "the Employees segment". */
function matchSegment(s: Scanner, i: number): AudienceFact | undefined {
  const quote = s.tokens[i - 1]?.norm;
  let name: string[] = [];
  let first = i;
  let last = i;
  if (quote === "'" || quote === '"') {
    let k = i - 2;
    while (k >= 0 && i - k < 8 && s.tokens[k]!.norm !== quote) name.unshift(s.tokens[k--]!.norm);
    first = k;
  } else if (
    s.tokens[i - 1] !== undefined &&
    /^\p{Lu}/u.test(s.tokens[i - 1]!.raw) &&
    !s.claimed[i - 1]
  ) {
    name = [s.tokens[i - 1]!.norm];
    first = i - 1;
  } else {
    let k = s.word(i + 1) === ':' ? i + 2 : i + 1;
    const open =
      s.tokens[k]?.norm === "'" || s.tokens[k]?.norm === '"' ? s.tokens[k++]!.norm : undefined;
    while (
      k < s.tokens.length &&
      k - i < 8 &&
      /^\p{L}/u.test(s.tokens[k]!.norm) &&
      (open !== undefined || name.length === 0)
    )
      name.push(s.tokens[k++]!.norm);
    last = open !== undefined && s.tokens[k]?.norm === open ? k : k - 1;
  }
  if (name.length === 0 || first < 0) return undefined;
  return fact('segment', negated(s, first) ? 'not_in' : 'in', [name.join(' ')], first, last);
}

/** A behavioural, consent or segment filter at `i`. */
export function matchBehavior(s: Scanner, i: number): AudienceFact | undefined {
  const w = s.word(i);
  if (SPEND.has(w)) return matchSpend(s, i);
  if (BUY.has(w)) return matchBuy(s, i);
  if (OPEN.has(w)) return matchRecency(s, i, 'last_open');
  if (CLICK.has(w)) return matchRecency(s, i, 'last_click');
  if (w.startsWith('abandon') || (w === 'cart' && s.word(i + 1).startsWith('abandon'))) {
    const window = windowAfter(s, i + 1, 4);
    if (window === undefined) return fact('cart_abandoned', 'exists', true, i, i);
    return fact('cart_abandoned', 'within_last', window.iso, i, window.last);
  }
  if (CONSENT.has(w)) return matchConsent(s, i);
  if (w === 'segment') return matchSegment(s, i);
  return undefined;
}
