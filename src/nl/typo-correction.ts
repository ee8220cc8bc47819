/**
 * @module
 * Typo correction for the words the parser keys on ("tommorow", "perfomance", "Linkdin"): a
 * word that is not itself a keyword and lies within a small edit distance of exactly one
 * keyword with the same first letter is read as that keyword. Common words that sit close to
 * a keyword ("sending" next to "spending") are never corrected.
 */
import { editDistance } from '../spec/validate-campaign.js';

const KEYWORDS = `tomorrow today tonight performance anything anyone everyone everybody newsletter
tweet instagram facebook linkedin tiktok twitter mailchimp sendgrid hubspot wordpress slack teams
recipient recipients subscriber subscribers purchased purchases purchase opened clicked
abandoned abandoners weekday weekdays weekly monthly daily monday tuesday wednesday thursday
friday saturday sunday january february march april june july august september october
november december eastern pacific central mountain london berlin paris tokyo sydney singapore
chicago toronto campaign announcement consent consented platinum customers conversions
language speaking speakers reminder hasnt havent didnt minutes hours seconds
following fortnightly biweekly segment exclude excluding except website timezone schedule
publish published thanksgiving christmas halloween valentines`
  .split(/\s+/)
  .filter((w) => w.length > 0);

const TARGETS = new Set(KEYWORDS);
const COMMON = new Set(
  `sending spending sent posted posting please share shared teaser hours order orders
  minute spent opening clicks opens tickets tweets weeks months times tiers those these
  their there where other others after later latest stories topics friend friends
  members member everything anything nothing something mondays tuesdays wednesdays
  thursdays fridays saturdays sundays`.split(/\s+/),
);
/** Four-letter misspellings of five-letter keywords, too short for the distance rule. */
const SHORT = new Map([
  ['twet', 'tweet'],
  ['emal', 'email'],
  ['slak', 'slack'],
]);
const cache = new Map<string, string>();

/**
 * The keyword `word` was most likely meant to be, or `word` itself.
 * @example
 * correctTypo('tommorow'); // 'tomorrow'
 */
export function correctTypo(word: string): string {
  const short = SHORT.get(word);
  if (short !== undefined) return short;
  if (word.length < 5 || word.length > 20 || TARGETS.has(word) || COMMON.has(word)) return word;
  const cached = cache.get(word);
  if (cached !== undefined) return cached;
  const limit = word.length >= 8 ? 2 : 1;
  let best = word;
  let bestDistance = limit + 1;
  let ties = 0;
  for (const target of KEYWORDS) {
    if (target[0] !== word[0] || Math.abs(target.length - word.length) > limit) continue;
    const d = editDistance(word, target);
    if (d < bestDistance) {
      best = target;
      bestDistance = d;
      ties = 0;
    } else if (d === bestDistance) ties++;
  }
  const result = ties === 0 ? best : word;
  if (cache.size < 10_000) cache.set(word, result);
  return result;
}
