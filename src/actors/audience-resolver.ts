/**
 * @module
 * Where a step's recipients come from. The runtime asks a resolver for the members of an
 * audience; the segments engine, a database push-down or a fixed list can answer.
 */
import type { ConsentSubject } from '../compliance/consent-subject.js';
import type { Recipient } from '../connectors/connector.js';
import type { Audience } from '../spec/audience-schema.js';
import type { CampaignSpec, Step } from '../spec/campaign-schema.js';

/** Resolves an audience to its members, in a deterministic order. */
export interface AudienceResolver {
  resolve(
    audience: Audience,
    context: { spec: CampaignSpec; step: Step; now: number },
  ): Promise<readonly Recipient[]>;
  /**
   * The consent subject (country, region, zone, consent records) of a recipient this resolver
   * returned, for the compliance gate a `CampaignSystem` applies by default. A resolver without
   * it, or a recipient it returns undefined for, is not messaged by email or SMS unless the
   * system is given another gate.
   */
  subjectOf?(recipient: Recipient): ConsentSubject | undefined;
}

/**
 * A resolver over a fixed list: every audience resolves to `recipients` (useful for tests and
 * for campaigns whose list was computed elsewhere).
 */
export function staticAudience(recipients: readonly Recipient[]): AudienceResolver {
  return { resolve: () => Promise.resolve(recipients) };
}
