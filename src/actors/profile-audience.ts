/**
 * @module
 * The embedded audience resolver: profiles and events held in the segments engine's columnar
 * store, audiences evaluated there, then narrowed to the people the step's channel can reach
 * with consent.
 */
import type { Recipient } from '../connectors/connector.js';
import { HeraldError } from '../errors.js';
import { audienceRule } from '../segments/audience-rule.js';
import { buildColumnarStore } from '../segments/columnar-builder.js';
import { ColumnarEngine } from '../segments/columnar-engine.js';
import type { Profile, ProfileEvent } from '../segments/profile-model.js';
import type { SegmentRegistry } from '../segments/segment-registry.js';
import type { AudienceRule } from '../spec/audience-schema.js';
import type { AudienceResolver } from './audience-resolver.js';

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
 * {@link BUILT_IN_SEGMENTS}.
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
    resolve(audience, { spec, step, now }) {
      const unknown = segmentNames(audienceRule(audience)).filter(
        (name) => !Object.hasOwn(registry, name),
      );
      if (unknown.length > 0) {
        return Promise.reject(
          new HeraldError(
            'unknown_segment',
            `no segment named ${unknown.map((n) => `"${n}"`).join(', ')}; known: ${Object.keys(registry).join(', ')}`,
          ),
        );
      }
      const ids = engine.evaluateIds(audienceRule(audience), { now, segments: registry });
      const channel = step.action === 'sms' ? 'sms' : 'email';
      const recipients: Recipient[] = [];
      for (const id of ids) {
        const profile = byId.get(id)!;
        const address = channel === 'sms' ? profile.phone : profile.email;
        if (address === undefined) continue;
        if (
          spec.compliance.requireConsent &&
          step.action !== 'audience_sync' &&
          !profile.consent[channel]
        )
          continue;
        recipients.push({
          id,
          ...(profile.email === undefined ? {} : { email: profile.email }),
          ...(profile.phone === undefined ? {} : { phone: profile.phone }),
          ...(profile.zone === undefined ? {} : { zone: profile.zone }),
          locale: profile.language,
        });
      }
      return Promise.resolve(recipients);
    },
  };
}

function segmentNames(rule: AudienceRule): string[] {
  switch (rule.type) {
    case 'and':
    case 'or':
      return rule.rules.flatMap(segmentNames);
    case 'not':
      return segmentNames(rule.rule);
    case 'segment':
      return [rule.name];
    default:
      return [];
  }
}
