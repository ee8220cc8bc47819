/**
 * @module
 * The shared shape of inbound-webhook verification results and the helpers the provider
 * verifiers share: constant-time comparison and replay-window checks. Time is an input.
 */
import { timingSafeEqual } from 'node:crypto';

/** Why an inbound webhook was rejected. */
export type WebhookRejection =
  | 'signature_missing'
  | 'timestamp_missing'
  | 'timestamp_invalid'
  | 'timestamp_expired'
  | 'signature_invalid'
  | 'body_hash_mismatch'
  | 'replayed';

/** The outcome of verifying an inbound webhook. */
export type WebhookVerification =
  { readonly valid: true } | { readonly valid: false; readonly reason: WebhookRejection };

/** Accepted. */
export const VALID: WebhookVerification = { valid: true };

/** Rejected for `reason`. */
export function rejected(reason: WebhookRejection): WebhookVerification {
  return { valid: false, reason };
}

/** Compares two strings in constant time (for equal lengths). */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Checks a Unix-seconds timestamp header against `now` (epoch ms) within `toleranceSeconds`
 * either side; returns the rejection, or `undefined` when fresh.
 */
export function checkTimestamp(
  header: string | undefined,
  now: number,
  toleranceSeconds: number,
): WebhookRejection | undefined {
  if (header === undefined || header === '') return 'timestamp_missing';
  if (!/^\d{1,12}$/.test(header)) return 'timestamp_invalid';
  const skew = Math.abs(now / 1000 - Number(header));
  return skew > toleranceSeconds ? 'timestamp_expired' : undefined;
}
