/**
 * @module
 * The embedded audience resolver: profiles and events held in the segments engine's columnar
 * store, audiences evaluated there, then narrowed to the people the step's channel can reach
 * with consent.
 */
import type { Recipient } from '../connectors/connector.js';
import { ValidationError } from '../errors.js';
import { buildColumnarStore } from '../segments/columnar-builder.js';
import { ColumnarEngine } from '../segments/columnar-engine.js';
import type { Profile, ProfileEvent } from '../segments/profile-model.js';
import { resolveAudience } from '../segments/resolve-audience.js';
import type { SegmentRegistry } from '../segments/segment-registry.js';
import type { AudienceResolver } from './audience-resolver.js';
import { profileLookup } from './compliance-gate.js';

/** Segments every embedded audience knows, unless the caller defines its own. */
export const BUILT_IN_SEGMENTS: SegmentRegistry = {
  all: { rules: { type: 'attribute', field: 'id', op: 'exists' } },
  newsletter: { rules: { type: 'attribute', field: 'consent_email', op: 'eq', value: true } },
  sms_subscribers: { rules: { type: 'attribute', field: 'consent_sms', op: 'eq', value: true } },
  vip: {
    rules: { type: 'attribute', field: 'loyalty_tier', op: 'in', value: ['gold', 'platinum'] },
  },
};

/**
 * A resolver over in-memory profiles; named segments come from `segments` plus
 * {@link BUILT_IN_SEGMENTS}. Its `subjectOf` gives the compliance gate each profile's consent,
 * region and zone.
 * @example
 * const audience = profileAudience(profiles, events, { churned: { members: ['p1'] } });
 */
export function profileAudience(
  profiles: readonly Profile[],
  events: readonly ProfileEvent[],
  segments: SegmentRegistry = {},
): AudienceResolver {
  const engine = new ColumnarEngine(buildColumnarStore(profiles, events));
  const byId = new Map(profiles.map((p) => [p.id, p]));
  const registry = { ...BUILT_IN_SEGMENTS, ...segments };
  return {
    subjectOf: profileLookup(profiles),
    resolve(audience, { spec, step, now }) {
      const members = resolveAudience(audience, { engine, segments: registry, now });
      if (!members.success)
        return Promise.reject(
          new ValidationError(`the audience of step "${step.id}"`, members.error),
        );
      const channel = step.action === 'sms' ? 'sms' : 'email';
      const recipients: Recipient[] = [];
      for (const member of members.data) {
        const profile = byId.get(member.id)!;
        if ((channel === 'sms' ? member.phone : member.email) === undefined) continue;
        if (
          spec.compliance.requireConsent &&
          step.action !== 'audience_sync' &&
          !profile.consent[channel]
        )
          continue;
        recipients.push(member);
      }
      return Promise.resolve(recipients);
    },
  };
}
