/**
 * @module
 * The channel mentions of one clause: unknown platforms reported, data sources of a report
 * left out, generic words merged into the named platform beside them, and the action chosen
 * from the clause's verbs among those the platform supports.
 */
import type { Issue } from '../errors.js';
import { supportsAction, type StepAction } from '../spec/platforms.js';
import { defaultAction } from './channel-lexicon.js';
import type { Clause } from './clause-splitter.js';
import type { DraftStep } from './draft-step.js';
import { familyOf } from './reference-resolver.js';
import type { Item } from './text-scanner.js';

type ChannelItem = Extract<Item, { kind: 'channel' }>;

/** A channel named in a clause, with the action it takes. */
export type Mention = Pick<DraftStep, 'platform' | 'action' | 'span'> & {
  generic?: boolean;
  chat?: string;
  winner?: NonNullable<DraftStep['winner']>;
};

const DELIVERY = new Set(['chat', 'email']);
/** "don't email", "do not send the newsletter", "no SMS", "skip the blast": a step not to take. */
const NEGATED_BEFORE = /\b(?:don'?t|do not|never|no|skip)\s+(?:[a-z]+\s+){0,2}$/i;

/**
 * Channel mentions of a clause, merged ("blog post on WordPress" is one) and with their
 * actions; unknown platforms are reported in `issues` and left out.
 */
export function clauseMentions(
  clause: Clause,
  span: (i: Item) => readonly [number, number],
  report: boolean,
  text: string,
  issues: Issue[],
): Mention[] {
  const verbs = clause.items.filter((i): i is Extract<Item, { kind: 'verb' }> => i.kind === 'verb');
  const channels = clause.items.filter((i): i is ChannelItem => i.kind === 'channel');
  const out: Mention[] = [];
  for (const item of channels) {
    if (item.word.platform === 'unknown') {
      const where = span(item);
      issues.push({
        code: 'unknown_platform',
        path: ['steps'],
        span: where,
        message: `Herald cannot post to "${text.slice(where[0], where[1])}"; that part was left out`,
        suggestions: [
          'use a supported platform: Instagram, Facebook, X, LinkedIn, TikTok, Meta ads, Google Ads, email, SMS, Slack, Teams, WordPress',
        ],
      });
      continue;
    }
    if (report && !DELIVERY.has(item.word.family)) continue;
    const where = span(item);
    if (NEGATED_BEFORE.test(text.slice(Math.max(0, where[0] - 24), where[0]))) {
      issues.push({
        code: 'negated_step',
        path: ['steps'],
        span: where,
        message: `nothing is sent on "${text.slice(where[0], where[1])}": the text says not to`,
        suggestions: ['remove the "not" if it should be sent'],
      });
      continue;
    }
    if (item.word.weak === true && channels.length > 1) continue;
    const named = channels.find(
      (c) =>
        c !== item &&
        c.word.generic !== true &&
        c.word.family === item.word.family &&
        c.word.platform !== 'unknown',
    );
    if (
      item.word.generic === true &&
      (named !== undefined || out.some((m) => familyOf(m.platform) === item.word.family))
    )
      continue;
    const chat = channels.find((c) => c.chat !== undefined)?.chat;
    let platform = item.word.platform;
    let action: StepAction = report ? 'report' : (item.word.action ?? defaultAction(platform));
    for (const verb of verbs) {
      if (verb.boost === true && (platform === 'facebook' || platform === 'instagram'))
        platform = 'meta_ads';
      if (
        supportsAction(platform, verb.action) &&
        !(verb.action === 'notify' && action === 'report')
      )
        action = verb.action;
    }
    const base =
      item.word.generic === true
        ? { platform, action, span: span(item), generic: true }
        : { platform, action, span: span(item) };
    out.push(chat !== undefined && item.word.family === 'chat' ? { ...base, chat } : base);
  }
  return out;
}
