/**
 * @module
 * The minimal view of a person the recipient gate needs: where they are, what they consented
 * to on each channel (with source and time) and whether they are suppressed. JSON only.
 */
import type { Channel } from './regional-policy.js';

/**
 * One consent event for one channel. The latest record (by `at`) is the person's state.
 * - `express`: the person said yes (form, checkbox, keyword reply).
 * - `implied`: consent inferred from a relationship; `basis` says which (CASL).
 */
export interface ConsentRecord {
  readonly channel: Channel;
  readonly status: 'granted' | 'withdrawn';
  readonly kind: 'express' | 'implied';
  /** For implied consent: what it arose from. */
  readonly basis?: 'purchase' | 'inquiry';
  /** Where the consent came from, e.g. `signup_form`, `checkout`, `sms_keyword`. */
  readonly source: string;
  /** ISO 8601 instant. */
  readonly at: string;
}

/** Why a person is suppressed. */
export type SuppressionReason = 'unsubscribe' | 'bounce' | 'complaint' | 'manual' | 'erasure';

/** Suppression flags carried on the subject itself (the live list is checked as well). */
export interface SuppressionFlags {
  /** Suppressed on every channel. */
  readonly global?: SuppressionReason;
  /** Suppressed on one channel. */
  readonly channels?: Readonly<Partial<Record<Channel, SuppressionReason>>>;
}

/** A person as the gate sees them. */
export interface ConsentSubject {
  readonly id: string;
  /** ISO 3166-1 alpha-2; absent means unknown, which gets the strictest rule. */
  readonly country?: string;
  /** ISO 3166-2 subdivision, `FL` or `US-FL`. */
  readonly region?: string;
  /** IANA zone. */
  readonly zone?: string;
  readonly email?: string;
  readonly phone?: string;
  readonly consents: readonly ConsentRecord[];
  readonly suppressed?: SuppressionFlags;
}
