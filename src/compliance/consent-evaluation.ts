/**
 * @module
 * Decides from a person's consent records whether a channel rule lets Herald contact them at
 * an instant. Pure: time is an argument.
 */
import type { ConsentRecord } from './consent-subject.js';
import type { Channel, ChannelRule } from './regional-policy.js';

const DAY_MS = 86_400_000;

/** Why consent does not allow a send. */
export type ConsentRefusal =
  'consent_missing' | 'consent_withdrawn' | 'consent_not_express' | 'implied_consent_expired';

/** The outcome of a consent check. */
export type ConsentDecision =
  | { readonly allowed: true; readonly basis: 'express' | 'implied' | 'no_objection' }
  | { readonly allowed: false; readonly reason: ConsentRefusal };

function rank(record: ConsentRecord): number {
  if (record.status === 'withdrawn') return 2;
  return record.kind === 'express' ? 1 : 0;
}

/**
 * The record that is the person's current state for `channel` at `now`: the latest by time.
 * A grant dated after `now` does not count yet; a withdrawal counts whenever it is dated.
 */
export function latestConsent(
  records: readonly ConsentRecord[],
  channel: Channel,
  now: number = Infinity,
): ConsentRecord | undefined {
  let latest: ConsentRecord | undefined;
  let latestAt = -Infinity;
  for (const record of records) {
    if (record.channel !== channel) continue;
    const parsed = Date.parse(record.at);
    // An unreadable time never lets a grant win, and never lets a withdrawal lose.
    const at = Number.isNaN(parsed)
      ? record.status === 'withdrawn'
        ? Infinity
        : -Infinity
      : parsed;
    if (at === -Infinity || (record.status === 'granted' && at > now)) continue;
    // At the same instant a withdrawal beats an express grant, which beats an implied one.
    if (at > latestAt || (at === latestAt && rank(record) > rank(latest!))) {
      latest = record;
      latestAt = at;
    }
  }
  return latest;
}

/**
 * Checks consent for one channel.
 * @param requireRecord - the campaign's `requireConsent`: also demand a recorded grant where
 *   the law would allow sending without one (opt-out regions). It can only tighten the law.
 * @example
 * evaluateConsent(subject.consents, 'email', ruleFor('CA').email, Date.now(), true);
 */
export function evaluateConsent(
  records: readonly ConsentRecord[],
  channel: Channel,
  rule: ChannelRule,
  now: number,
  requireRecord: boolean,
): ConsentDecision {
  const latest = latestConsent(records, channel, now);
  if (latest === undefined) {
    return rule.consent === 'opt_out' && !requireRecord
      ? { allowed: true, basis: 'no_objection' }
      : { allowed: false, reason: 'consent_missing' };
  }
  if (latest.status === 'withdrawn') return { allowed: false, reason: 'consent_withdrawn' };
  if (latest.kind === 'express') return { allowed: true, basis: 'express' };
  switch (rule.consent) {
    case 'opt_in':
      return { allowed: false, reason: 'consent_not_express' };
    case 'opt_out':
      return { allowed: true, basis: 'implied' };
    case 'express_or_implied': {
      const expiry = rule.impliedExpiry ?? { purchaseDays: 730, inquiryDays: 183 };
      const days = latest.basis === 'purchase' ? expiry.purchaseDays : expiry.inquiryDays;
      const at = Date.parse(latest.at);
      return now < at + days * DAY_MS
        ? { allowed: true, basis: 'implied' }
        : { allowed: false, reason: 'implied_consent_expired' };
    }
  }
}
