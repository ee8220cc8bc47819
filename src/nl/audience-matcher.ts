/**
 * @module
 * Matchers for audience filters: age, countries, regions, languages, purchase counts and
 * totals over a period, recency of opens and clicks, cart abandonment, loyalty tiers,
 * consent and segments. Each yields a fact in the vocabulary of the facts view, negated when
 * its clause says "exclude", "skip", "not", "hasn't"…
 */
import {
  COUNTRIES,
  COUNTRY_CODES,
  LANGUAGES,
  NEGATIONS,
  PEOPLE,
  REGIONS,
  SCOPE_BREAKS,
  TIERS,
} from './audience-lexicon.js';
import type { Scanner } from './text-scanner.js';
import { UNITS, isoDuration } from './time-lexicon.js';

/** An audience filter as the facts view states it, with the tokens it came from. */
export interface AudienceFact {
  readonly field: string;
  readonly op: string;
  readonly value: string | number | boolean | readonly (string | number)[];
  readonly window?: string;
  /** True for "UK only": every other value of the field contradicts it. */
  readonly only?: boolean;
  readonly first: number;
  readonly last: number;
}

/** True when an odd number of negations precede `i` in its clause. */
export function negated(s: Scanner, i: number): boolean {
  let odd = false;
  for (let k = i - 1; k >= 0 && !SCOPE_BREAKS.has(s.tokens[k]!.norm); k--) {
    if (NEGATIONS.has(s.tokens[k]!.norm)) odd = !odd;
  }
  return odd;
}

/** "in the last 90 days", "over the past 6 months", "in 6 months", "from the last 24 hours". */
export function windowAt(s: Scanner, i: number): { iso: string; last: number } | undefined {
  let k = i;
  if (['in', 'over', 'within', 'from', 'during'].includes(s.word(k))) k++;
  if (s.word(k) === 'the') k++;
  if (s.word(k) === 'last' || s.word(k) === 'past') k++;
  else if (k === i) return undefined;
  const n = s.number(k);
  const unit = UNITS.get(s.word(n === undefined ? k : k + 1));
  if (unit === undefined || unit === 'TM') return undefined;
  return { iso: isoDuration(n ?? 1, unit), last: n === undefined ? k : k + 1 };
}

/** The first window phrase within `reach` tokens after `i`, in the same clause. */
export function windowAfter(
  s: Scanner,
  i: number,
  reach: number,
): { iso: string; last: number } | undefined {
  for (let k = i; k <= i + reach && k < s.tokens.length; k++) {
    const w = windowAt(s, k);
    if (w !== undefined) return w;
    const t = s.tokens[k]!;
    if (SCOPE_BREAKS.has(t.norm) && t.norm !== '-') return undefined;
    if (t.kind === 'number' || t.norm === '$' || t.norm === '€' || t.norm === '£') return undefined;
  }
  return undefined;
}

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

const FLIP: Readonly<Record<string, string>> = {
  lt: 'gte',
  gte: 'lt',
  gt: 'lte',
  lte: 'gt',
  in: 'not_in',
  not_in: 'in',
};

function isAgeNumber(s: Scanner, k: number): number | undefined {
  const n = s.number(k);
  const next = s.tokens[k + 1]?.norm ?? '';
  if (
    n === undefined ||
    n < 13 ||
    n > 99 ||
    UNITS.has(next) ||
    next === '%' ||
    s.tokens[k - 1]?.norm === '$'
  )
    return undefined;
  return n;
}

/** Age at `i`: "aged 18–34", "18-24 year olds", "21+", "under 30", "over 21". */
export function matchAge(s: Scanner, i: number): AudienceFact | undefined {
  const w = s.word(i);
  const from = w === 'aged' || w === 'ages' || w === 'age' ? i + 1 : i;
  const lo = isAgeNumber(s, from);
  if (lo !== undefined) {
    const sep = s.word(from + 1);
    const hi = s.number(from + 2);
    if ((sep === '-' || sep === 'to') && hi !== undefined && hi > lo) {
      const tail =
        s.word(from + 3) === 'year' || s.word(from + 3) === 'years'
          ? s.word(from + 4).startsWith('old')
            ? from + 4
            : from + 3
          : from + 2;
      if (from > i || tail > from + 2) return fact('age', 'between', [lo, hi], i, tail);
    }
    if (
      sep === '+' &&
      (from > i ||
        s.word(from + 2) === '' ||
        s.tokens[from + 2]!.kind === 'punct' ||
        s.word(from + 2) === 'only')
    ) {
      return fact('age', negated(s, i) ? 'lt' : 'gte', lo, i, from + 1);
    }
    if (
      s.phrase(from + 1, 'and over') ||
      s.phrase(from + 1, 'and older') ||
      s.phrase(from + 1, 'and up')
    ) {
      return fact('age', negated(s, i) ? 'lt' : 'gte', lo, i, from + 2);
    }
  }
  if (w === 'between' && PEOPLE.has(s.tokens[i - 1]?.norm ?? '')) {
    const a = isAgeNumber(s, i + 1);
    const b = s.word(i + 2) === 'and' ? isAgeNumber(s, i + 3) : undefined;
    if (a !== undefined && b !== undefined && b > a)
      return fact('age', 'between', [a, b], i, i + 3);
  }
  const comparator =
    w === 'under' || w === 'below' ? 'lt' : w === 'over' || w === 'above' ? 'gt' : undefined;
  const n = isAgeNumber(s, i + 1);
  if (comparator !== undefined && n !== undefined && PEOPLE.has(s.tokens[i - 1]?.norm ?? '')) {
    return fact('age', negated(s, i) ? FLIP[comparator]! : comparator, n, i, i + 1);
  }
  return undefined;
}

type Lookup = (s: Scanner, k: number) => { code: string; last: number } | undefined;

function lookupIn(table: ReadonlyMap<string, string>): Lookup {
  return (s, k) => {
    for (const n of [2, 1]) {
      const key = Array.from({ length: n }, (_, j) => s.word(k + j)).join(' ');
      const code = table.get(key);
      const after = s.word(k + n);
      if (code !== undefined && after !== 'time' && after !== 'timezone')
        return { code, last: k + n - 1 };
    }
    return undefined;
  };
}

const countryAt: Lookup = (s, k) => {
  const code = COUNTRY_CODES.get(s.claimed[k] ? '' : (s.tokens[k]?.raw ?? ''));
  const after = s.word(k + 1);
  if (code !== undefined && after !== 'time' && after !== 'timezone') return { code, last: k };
  return lookupIn(COUNTRIES)(s, k);
};

/** A list of names from one table at `i` ("US, UK, Ireland and Australia"). */
function listAt(s: Scanner, i: number, lookup: Lookup, field: string): AudienceFact | undefined {
  const codes: string[] = [];
  let k = i;
  let last = i;
  for (;;) {
    const found = lookup(s, k);
    if (found === undefined) break;
    if (!codes.includes(found.code)) codes.push(found.code);
    last = found.last;
    const sep = s.word(found.last + 1);
    k = found.last + (sep === ',' || sep === 'and' || sep === 'or' || sep === '&' ? 2 : 1);
    if (s.word(k) === 'the') k++;
  }
  if (codes.length === 0) return undefined;
  const found = fact(field, negated(s, i) ? 'not_in' : 'in', codes, i, last);
  return s.word(last + 1) === 'only' ? { ...found, only: true, last: last + 1 } : found;
}

/** Countries and regions at `i`. */
export function matchPlace(s: Scanner, i: number): AudienceFact | undefined {
  return listAt(s, i, countryAt, 'country') ?? listAt(s, i, lookupIn(REGIONS), 'region');
}

const SPEAK = (w: string): boolean =>
  w === 'speaking' || w === 'speakers' || w === 'speaker' || w.endsWith('-speaking');

/** Languages at `i`: "English or French speakers", "German- and French-speaking". */
export function matchLanguage(s: Scanner, i: number): AudienceFact | undefined {
  const codes: string[] = [];
  const speakFirst = s.word(i) === 'speak' || s.word(i) === 'speaks';
  let k = speakFirst ? i + 1 : i;
  for (;;) {
    const w = s.word(k);
    const base = w.endsWith('-speaking') ? w.slice(0, -'-speaking'.length) : w;
    const code = LANGUAGES.get(base);
    if (code === undefined) break;
    if (!codes.includes(code)) codes.push(code);
    if (base !== w) return fact('language', negated(s, i) ? 'not_in' : 'in', codes, i, k);
    k++;
    while ([',', 'and', 'or', '&', '-'].includes(s.word(k))) k++;
  }
  if (speakFirst && codes.length > 0)
    return fact('language', negated(s, i) ? 'not_in' : 'in', codes, i, k - 1);
  if (codes.length === 0 || !SPEAK(s.word(k))) return undefined;
  return fact('language', negated(s, i) ? 'not_in' : 'in', codes, i, k);
}

/** Head nouns of a named group ("our VIP customers", "the loyal list"). */
const GROUP_NOUNS = new Set(
  'customers list buyers subscribers shoppers fans members clients donors users'.split(' '),
);
/** Words before a group noun that describe everyone, not a named group. */
const NOT_NAMES = new Set(
  `new existing current all our the past recent potential paying other those these email sms
  newsletter mailing loyalty every each any whole full entire text opted subscribed`.split(/\s+/),
);

/** A named group in running text: "our VIP customers", "the loyal list" → that segment. */
export function matchGroup(s: Scanner, i: number): AudienceFact | undefined {
  const w = s.word(i);
  const before = s.tokens[i - 1]?.norm ?? '';
  const noun = s.word(i + 1);
  if ((w === 'sms' || w === 'text') && CONSENT_NOUNS.has(noun))
    return fact('consent_sms', 'eq', true, i, i + 1);
  const country = NATIONALITIES.get(w);
  if (country !== undefined && GROUP_NOUNS.has(noun))
    return fact('country', negated(s, i) ? 'not_in' : 'in', [country], i, i + 1);
  if (
    w === '' ||
    s.tokens[i]!.kind !== 'word' ||
    NOT_NAMES.has(w) ||
    PEOPLE.has(w) ||
    LANGUAGES.has(w) ||
    COUNTRIES.has(w) ||
    (TIERS.has(w) && s.word(i + 1) === 'members') ||
    !GROUP_NOUNS.has(s.word(i + 1)) ||
    !['our', 'the', 'to', 'for'].includes(before)
  )
    return undefined;
  const named = s.word(i + 2) === 'segment';
  return fact(
    'segment',
    negated(s, i) ? 'not_in' : 'in',
    [named ? `${w} ${noun}` : w],
    i,
    named ? i + 2 : i + 1,
  );
}

/** "SMS subscribers", "SMS opt-ins": people who agreed to texts. */
const CONSENT_NOUNS = new Set(['subscribers', 'subs', 'opt-ins', 'optins', 'subscriber']);

/** Nationality adjective → ISO country, for "Canadian customers". */
const NATIONALITIES: ReadonlyMap<string, string> = new Map([
  ['american', 'US'],
  ['canadian', 'CA'],
  ['british', 'GB'],
  ['irish', 'IE'],
  ['australian', 'AU'],
  ['mexican', 'MX'],
  ['brazilian', 'BR'],
  ['german', 'DE'],
  ['french', 'FR'],
  ['spanish', 'ES'],
  ['italian', 'IT'],
  ['dutch', 'NL'],
  ['belgian', 'BE'],
  ['swiss', 'CH'],
  ['austrian', 'AT'],
  ['swedish', 'SE'],
  ['polish', 'PL'],
  ['portuguese', 'PT'],
  ['japanese', 'JP'],
  ['korean', 'KR'],
  ['indian', 'IN'],
]);

/** Loyalty tiers at `i`: "Gold and Platinum tiers", "Platinum tier only". */
export function matchTier(s: Scanner, i: number): AudienceFact | undefined {
  const tiers: string[] = [];
  let k = i;
  while (TIERS.has(s.word(k))) {
    tiers.push(s.word(k));
    k++;
    while ([',', 'and', 'or', '&'].includes(s.word(k))) k++;
  }
  const after = s.word(k);
  if (tiers.length === 0 || !['tier', 'tiers', 'level', 'members', 'loyalty'].includes(after))
    return undefined;
  return fact('loyalty_tier', negated(s, i) ? 'not_in' : 'in', tiers, i, k);
}
