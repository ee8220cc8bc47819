/**
 * @module
 * Matchers for channel mentions ("IG", "the Mailchimp newsletter", `#growth`, "the Marketing
 * channel on Teams") and the verbs that choose a step's action ("pause", "bump", "sync",
 * "report", "boost").
 */
import type { StepAction } from '../spec/platforms.js';
import { CHANNEL_WORDS, LONGEST_CHANNEL_PHRASE } from './channel-lexicon.js';
import type { Item, Scanner } from './text-scanner.js';

const BEFORE_PLATFORM = new Set(['on', 'in', 'to', 'via', 'and', 'or', 'the', 'ms', 'microsoft']);

function accepted(s: Scanner, i: number, key: string): boolean {
  const raw = s.tokens[i]!.raw;
  if (key === 'x') return raw === 'X';
  if (key === 'teams') return raw === 'Teams' || BEFORE_PLATFORM.has(s.tokens[i - 1]?.norm ?? '');
  if (key === 'text' || key === 'texts')
    return s.word(i + 1) !== 'of' && s.tokens[i - 1]?.norm !== 'subject';
  if (key === 'meta') return s.word(i + 1) !== 'description';
  return true;
}

/** The quoted or capitalised name before "channel" at `i` ("the 'Growth' channel"). */
function chatName(s: Scanner, i: number): { name: string; first: number } | undefined {
  const words: string[] = [];
  let k = i - 1;
  if (s.tokens[k]?.norm === "'" || s.tokens[k]?.norm === '"') {
    const quote = s.tokens[k]!.norm;
    k--;
    while (k >= 0 && i - k < 8 && s.tokens[k]!.norm !== quote) words.unshift(s.tokens[k--]!.raw);
    return k >= 0 && words.length > 0 ? { name: words.join(' '), first: k } : undefined;
  }
  while (k >= 0 && i - k < 5 && /^\p{Lu}/u.test(s.tokens[k]!.raw) && !s.claimed[k])
    words.unshift(s.tokens[k--]!.raw);
  return words.length > 0 ? { name: words.join(' '), first: k + 1 } : undefined;
}

/** A channel mention starting at token `i`. */
export function matchChannel(s: Scanner, i: number): Item | undefined {
  const t = s.tokens[i]!;
  if (t.kind === 'channel') {
    return {
      kind: 'channel',
      word: { platform: 'slack', family: 'chat', generic: true },
      chat: t.raw,
      first: i,
      last: i,
    };
  }
  for (let n = LONGEST_CHANNEL_PHRASE; n >= 1; n--) {
    const key = Array.from({ length: n }, (_, k) => s.word(i + k)).join(' ');
    const word = CHANNEL_WORDS.get(key);
    if (word !== undefined && accepted(s, i, key))
      return { kind: 'channel', word, first: i, last: i + n - 1 };
  }
  if (s.word(i + 1) === 'channel') {
    const named = chatName(s, i + 1);
    if (named !== undefined) {
      return {
        kind: 'channel',
        word: { platform: 'slack', family: 'chat', generic: true },
        chat: named.name,
        first: named.first,
        last: i + 1,
      };
    }
  }
  return undefined;
}

/** Verb → the action it asks for. */
const VERBS = new Map<string, StepAction | 'boost'>([
  ['pause', 'ad_pause'],
  ['stop', 'ad_pause'],
  ['halt', 'ad_pause'],
  ['bump', 'budget_change'],
  ['raise', 'budget_change'],
  ['increase', 'budget_change'],
  ['lower', 'budget_change'],
  ['reduce', 'budget_change'],
  ['cut', 'budget_change'],
  ['sync', 'audience_sync'],
  ['upload', 'audience_sync'],
  ['report', 'report'],
  ['reports', 'report'],
  ['digest', 'report'],
  ['summary', 'report'],
  ['ping', 'notify'],
  ['notify', 'notify'],
  ['alert', 'notify'],
  ['heads-up', 'notify'],
  ['note', 'notify'],
  ['boost', 'boost'],
  ['boosted', 'boost'],
  ['sponsored', 'ad_launch'],
  ['promoted', 'ad_launch'],
]);

/** "the Digest newsletter": a report word naming an email is the email's name. */
const NAMED_EMAIL = new Set(['newsletter', 'email', 'e-mail', 'mailer', 'edm']);

/** An action verb at token `i`. */
export function matchVerb(s: Scanner, i: number): Item | undefined {
  const action = VERBS.get(s.word(i));
  if (action === undefined) return undefined;
  if (action === 'report' && NAMED_EMAIL.has(s.tokens[i + 1]?.norm ?? '')) return undefined;
  if (action === 'boost')
    return { kind: 'verb', action: 'ad_launch', boost: true, first: i, last: i };
  return { kind: 'verb', action, first: i, last: i };
}
