/**
 * @module
 * The embedded delivery gate: each recipient's consent, suppression, region and zone checked
 * by the compliance layer's `gateRecipients` before every email and SMS batch.
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

/**
 * A gate over known profiles: people Herald has no profile for are suppressed.
 * @example
 * const gate = complianceGate(profiles, { suppressions: list });
 */
export function complianceGate(
  profiles: readonly Profile[],
  options: ComplianceGateOptions = {},
): DeliveryGate {
  const byId = new Map(profiles.map((p) => [p.id, p]));
  const consentsOf = options.consents ?? profileConsents;
  const subjects = new Map<string, ConsentSubject>();
  const subjectOf = (profile: Profile): ConsentSubject => {
    let subject = subjects.get(profile.id);
    if (!subject) {
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
    }
    return subject;
  };
  return {
    check(recipients, { spec, step, at }) {
      if (step.action !== 'email' && step.action !== 'sms')
        return { allowed: recipients, deferred: [], suppressed: [] };
      const known: ConsentSubject[] = [];
      const unknown: Recipient[] = [];
      const byRecipient = new Map<string, Recipient>();
      for (const recipient of recipients) {
        const profile = byId.get(recipient.id);
        if (profile) {
          known.push(subjectOf(profile));
          byRecipient.set(recipient.id, recipient);
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
        allowed: verdict.allowed.map((s) => byRecipient.get(s.id)!),
        deferred: verdict.deferred.map((d) => ({
          recipient: byRecipient.get(d.subject.id)!,
          until: d.until,
        })),
        suppressed: [
          ...verdict.suppressed.map((s) => ({
            recipient: byRecipient.get(s.subject.id)!,
            reason: s.reason,
          })),
          ...unknown.map((recipient) => ({ recipient, reason: 'no_profile' })),
        ],
      };
    },
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
