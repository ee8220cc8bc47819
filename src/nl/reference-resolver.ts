/**
 * @module
 * Resolves the words that point back at a step ("the blog", "the ads", "launch", "the
 * Instagram post", "it", "step 2") to the index of that step.
 */
import type { Platform, StepAction } from '../spec/platforms.js';
import { CHANNEL_WORDS, type ChannelFamily } from './channel-lexicon.js';

/** What the resolver needs to know of a step. */
export interface StepRef {
  readonly platform: Platform;
  readonly action: StepAction;
}

const FAMILY: Readonly<Record<Platform, ChannelFamily>> = {
  facebook: 'social',
  instagram: 'social',
  x: 'social',
  linkedin: 'social',
  tiktok: 'social',
  meta_ads: 'ads',
  google_ads: 'ads',
  ga4: 'analytics',
  mailchimp: 'email',
  sendgrid: 'email',
  hubspot: 'email',
  twilio: 'sms',
  wordpress: 'cms',
  contentful: 'cms',
  segment: 'analytics',
  slack: 'chat',
  teams: 'chat',
  email: 'email',
  sms: 'sms',
  cms: 'cms',
};

/** The family a platform belongs to. */
export function familyOf(platform: Platform): ChannelFamily {
  return FAMILY[platform];
}

const NOUNS: readonly (readonly [ReadonlySet<string>, (s: StepRef) => boolean])[] = [
  [new Set(['ads', 'ad', 'campaign', 'campaigns']), (s) => s.action === 'ad_launch'],
  [new Set(['launch']), (s) => s.action === 'ad_launch'],
  [
    new Set(['blog', 'article', 'page', 'landing', 'press', 'release', 'announcement']),
    (s) => s.action === 'publish',
  ],
  [new Set(['email', 'newsletter', 'blast', 'send', 'mail']), (s) => s.action === 'email'],
  [new Set(['sms', 'text', 'message']), (s) => s.action === 'sms'],
  [
    new Set(['post', 'video', 'story', 'tweet']),
    (s) => s.action === 'post' || s.action === 'publish',
  ],
];

function lastWhere(
  steps: readonly StepRef[],
  before: number,
  test: (s: StepRef) => boolean,
): number | undefined {
  for (let k = Math.min(before, steps.length) - 1; k >= 0; k--) if (test(steps[k]!)) return k;
  return undefined;
}

/**
 * The step `words` point at among `steps[0..before)`, or `undefined`. Words with no noun
 * ("it", "that", nothing) mean the step just before, unless `fallback` is false.
 * @example
 * resolveReference(['the', 'ads'], steps, 3); // index of the last ad launch before step 3
 */
export function resolveReference(
  words: readonly string[],
  steps: readonly StepRef[],
  before: number,
  fallback = true,
): number | undefined {
  const n = words.indexOf('step');
  const numbered = n >= 0 ? Number(words[n + 1]) : NaN;
  if (Number.isInteger(numbered))
    return numbered >= 1 && numbered <= before ? numbered - 1 : undefined;
  for (let k = 0; k < words.length; k++) {
    const pair = CHANNEL_WORDS.get(`${words[k]!} ${words[k + 1] ?? ''}`);
    const word = pair ?? CHANNEL_WORDS.get(words[k]!);
    if (word === undefined || word.generic === true || word.platform === 'unknown') continue;
    const platform = word.platform;
    const found =
      lastWhere(steps, before, (s) => s.platform === platform) ??
      lastWhere(steps, before, (s) => familyOf(s.platform) === word.family);
    if (found !== undefined) return found;
  }
  for (const [nouns, test] of NOUNS) {
    if (!words.some((w) => nouns.has(w))) continue;
    const found = lastWhere(steps, before, test);
    if (found !== undefined) return found;
  }
  return fallback && before > 0 ? before - 1 : undefined;
}
