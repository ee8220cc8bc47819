/**
 * @module
 * The embedded delivery gate: each recipient's consent, suppression, region and zone checked
 * by the compliance layer's `gateRecipients` at the instant every email and SMS batch is sent.
 */
import type { Recipient } from '../connectors/connector.js';
import type { ConsentRecord, ConsentSubject } from '../compliance/consent-subject.js';
import { gateRecipients } from '../compliance/recipient-gate.js';
import type { SuppressionLookup } from '../compliance/suppression-list.js';
import type { Profile } from '../segments/profile-model.js';
import type { DeliveryGate } from './delivery-gate.js';

/** Options of {@link complianceGate}. */
export interface ComplianceGateOptions {
  /** The live suppression list (unsubscribes, bounces, erasures). @default none */
  readonly suppressions?: SuppressionLookup;
  /**
   * Consent records per profile id. @default one express grant per channel a profile's
   * `consent` flags, sourced "profile"
   */
  readonly consents?: (profile: Profile) => readonly ConsentRecord[];
}

/** What the gate knows of a recipient: its consent subject, or undefined for a stranger. */
export type SubjectLookup = (recipient: Recipient) => ConsentSubject | undefined;

/** Why a recipient the gate knows nothing about is not messaged. */
const NO_PROFILE = 'no_profile';

/**
 * A gate over known people: `profiles` (or a lookup of each recipient's consent subject).
 * People Herald has no profile for are suppressed with the reason `no_profile`.
 * @example
 * const gate = complianceGate(profiles, { suppressions: list });
 */
export function complianceGate(
  people: readonly Profile[] | SubjectLookup,
  options: ComplianceGateOptions = {},
): DeliveryGate {
  const lookup = typeof people === 'function' ? people : profileLookup(people, options.consents);
  return {
    check(recipients, { spec, step, at }) {
      if (step.action !== 'email' && step.action !== 'sms')
        return { allowed: recipients, deferred: [], suppressed: [] };
      const known: ConsentSubject[] = [];
      const unknown: Recipient[] = [];
      const byRecipient = new Map<ConsentSubject, Recipient>();
      for (const recipient of recipients) {
        const subject = lookup(recipient);
        if (subject) {
          known.push(subject);
          byRecipient.set(subject, recipient);
        } else unknown.push(recipient);
      }
      const verdict = gateRecipients(known, {
        channel: step.action,
        policy: spec.compliance,
        now: at,
        defaultZone: spec.defaultZone,
        ...(options.suppressions ? { suppressions: options.suppressions } : {}),
      });
      return {
        allowed: verdict.allowed.map((s) => byRecipient.get(s)!),
        deferred: verdict.deferred.map((d) => ({
          recipient: byRecipient.get(d.subject)!,
          until: d.until,
          reason: `outside the ${step.action} sending window in ${d.subject.zone ?? spec.defaultZone ?? 'their zone'}`,
        })),
        suppressed: [
          ...verdict.suppressed.map((s) => ({
            recipient: byRecipient.get(s.subject)!,
            reason: s.reason,
          })),
          ...unknown.map((recipient) => ({ recipient, reason: NO_PROFILE })),
        ],
      };
    },
  };
}

/** Each profile's consent subject, built once. */
export function profileLookup(
  profiles: readonly Profile[],
  consentsOf: (profile: Profile) => readonly ConsentRecord[] = profileConsents,
): SubjectLookup {
  const byId = new Map(profiles.map((p) => [p.id, p]));
  const subjects = new Map<string, ConsentSubject>();
  return (recipient) => {
    let subject = subjects.get(recipient.id);
    if (subject) return subject;
    const profile = byId.get(recipient.id);
    if (!profile) return undefined;
    subject = {
      id: profile.id,
      country: profile.country,
      region: profile.region,
      ...(profile.zone === undefined ? {} : { zone: profile.zone }),
      ...(profile.email === undefined ? {} : { email: profile.email }),
      ...(profile.phone === undefined ? {} : { phone: profile.phone }),
      consents: consentsOf(profile),
    };
    subjects.set(profile.id, subject);
    return subject;
  };
}

function profileConsents(profile: Profile): ConsentRecord[] {
  return (['email', 'sms'] as const)
    .filter((channel) => profile.consent[channel])
    .map((channel) => ({
      channel,
      status: 'granted',
      kind: 'express',
      source: 'profile',
      at: '1970-01-01T00:00:00.000Z',
    }));
}
