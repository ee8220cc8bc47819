/**
 * @module
 * Turns verified provider webhooks into suppressions: SendGrid bounces, spam reports and
 * unsubscribes, and Twilio inbound STOP-style replies (the keywords Twilio handles plus the
 * FCC's 2024 list of reasonable revocation words). Feed the result to
 * `SuppressionList.suppress`, which every running campaign listens to.
 */
import type { SuppressionEvent } from './suppression-list.js';

/** One SendGrid Event Webhook event, the fields this module reads. */
export interface SendGridEvent {
  readonly event?: unknown;
  readonly email?: unknown;
  /** Unix seconds. */
  readonly timestamp?: unknown;
  /** For `bounce`: `bounce` (hard) or `blocked` (soft, not suppressed). */
  readonly type?: unknown;
}

/**
 * Suppressions implied by a batch of SendGrid events; events of other kinds, soft bounces and
 * malformed events are ignored.
 * @example
 * for (const e of optOutsFromSendGrid(JSON.parse(rawBody))) suppressions.suppress(e);
 */
export function optOutsFromSendGrid(events: readonly SendGridEvent[]): SuppressionEvent[] {
  const out: SuppressionEvent[] = [];
  for (const e of events) {
    if (typeof e.email !== 'string' || typeof e.timestamp !== 'number') continue;
    const at = new Date(e.timestamp * 1000).toISOString();
    const base = { address: e.email, scope: 'email' as const, at };
    switch (e.event) {
      case 'bounce':
        if (e.type !== 'blocked') out.push({ ...base, reason: 'bounce' });
        break;
      case 'spamreport':
        out.push({ ...base, reason: 'complaint' });
        break;
      case 'unsubscribe':
      case 'group_unsubscribe':
        out.push({ ...base, reason: 'unsubscribe' });
        break;
      default:
        break;
    }
  }
  return out;
}

/** Replies that revoke SMS consent (Twilio's defaults and the FCC's 2024 examples). */
export const SMS_STOP_WORDS: ReadonlySet<string> = new Set([
  'STOP',
  'STOPALL',
  'STOP ALL',
  'UNSUBSCRIBE',
  'CANCEL',
  'END',
  'QUIT',
  'REVOKE',
  'OPTOUT',
  'OPT OUT',
]);

/** Replies that restore SMS consent after a STOP. */
export const SMS_START_WORDS: ReadonlySet<string> = new Set(['START', 'UNSTOP', 'YES']);

/** What an inbound SMS means for consent. */
export type InboundSmsIntent =
  | { readonly action: 'suppress'; readonly event: SuppressionEvent }
  | { readonly action: 'resubscribe'; readonly address: string }
  | { readonly action: 'none' };

/**
 * Reads a Twilio inbound-message webhook (`From`, `Body`, and `OptOutType` when Advanced
 * Opt-Out is on).
 * @param at - ISO instant the reply was received.
 * @example
 * const intent = intentOfInboundSms(form, new Date(clock.now()).toISOString());
 * if (intent.action === 'suppress') suppressions.suppress(intent.event);
 */
export function intentOfInboundSms(
  params: Readonly<Record<string, string | undefined>>,
  at: string,
): InboundSmsIntent {
  const from = params.From;
  if (from === undefined || from === '') return { action: 'none' };
  const word = (params.Body ?? '')
    .trim()
    .toUpperCase()
    .replace(/[^\p{L}\p{N} ]/gu, '')
    .replace(/\s+/g, ' ');
  const type = params.OptOutType?.toUpperCase();
  if (type === 'STOP' || SMS_STOP_WORDS.has(word)) {
    return {
      action: 'suppress',
      event: { address: from, scope: 'sms', reason: 'unsubscribe', at },
    };
  }
  if (type === 'START' || SMS_START_WORDS.has(word))
    return { action: 'resubscribe', address: from };
  return { action: 'none' };
}
