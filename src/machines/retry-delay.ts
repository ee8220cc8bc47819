/**
 * @module
 * The delay before a retry: exponential backoff with deterministic jitter, never shorter than
 * the wait the platform asked for. Pure, so the step chart stays deterministic.
 */
import { Duration } from 'luxon';
import type { RetryPolicy } from '../spec/campaign-schema.js';
import { fnv1a } from '../seeded-random.js';

/** Milliseconds of an ISO-8601 duration. */
export function durationMs(iso: string): number {
  return Duration.fromISO(iso).as('milliseconds');
}

/**
 * Delay before attempt `attempt + 1`, after `attempt` failures: `initialInterval ×
 * backoffCoefficient^(attempt-1)`, capped at `maximumInterval`, ±20% jitter seeded by `seed`.
 * @example retryDelayMs(policy, 2, 'blog', 0) // ≈ 2 s with the default policy
 */
export function retryDelayMs(
  policy: RetryPolicy,
  attempt: number,
  seed: string,
  retryAfterMs = 0,
): number {
  const base = Math.min(
    durationMs(policy.initialInterval) * policy.backoffCoefficient ** Math.max(0, attempt - 1),
    durationMs(policy.maximumInterval),
  );
  const jitter = 0.8 + 0.4 * (fnv1a(`${seed}:${String(attempt)}`) / 2 ** 32);
  return Math.max(Math.round(base * jitter), retryAfterMs);
}
