/**
 * @module
 * Deterministic idempotency keys: the same call after a restart gets the same key.
 */
import { createHash } from 'node:crypto';

/** Identifies one call of one step. */
export interface CallIdentity {
  readonly campaignId: string;
  readonly stepId: string;
  readonly occurrence: number;
  readonly wave: number;
  readonly batch: number;
  readonly recipientIds: readonly string[];
}

/** A 32-hex-character key derived from everything that identifies the call. */
export function idempotencyKey(call: CallIdentity): string {
  const hash = createHash('sha256');
  hash.update(
    `${call.campaignId}\u0000${call.stepId}\u0000${String(call.occurrence)}\u0000${String(call.wave)}\u0000${String(call.batch)}`,
  );
  for (const id of call.recipientIds) hash.update(`\u0000${id}`);
  return hash.digest('hex').slice(0, 32);
}
