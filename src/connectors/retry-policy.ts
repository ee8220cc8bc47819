/**
 * @module
 * Transport retry policy with Temporal's field names, and its jittered exponential backoff.
 */
import type { ConnectorErrorCode } from './connector-error.js';

/**
 * How the HTTP layer retries retryable failures: the campaign spec's `RetryPolicy` vocabulary
 * (Temporal's field names) in milliseconds, with connector error codes.
 */
export interface TransportRetryPolicy {
  /** First backoff. @default 500 */
  readonly initialInterval: number;
  /** Growth per attempt. @default 2 */
  readonly backoffCoefficient: number;
  /** Longest backoff. @default 30_000 */
  readonly maximumInterval: number;
  /** Attempts including the first. @default 5 */
  readonly maximumAttempts: number;
  /** Codes never retried, on top of every non-retryable code. @default [] */
  readonly nonRetryableErrorCodes: readonly ConnectorErrorCode[];
}

/** The defaults of {@link TransportRetryPolicy}. */
export const DEFAULT_RETRY_POLICY: TransportRetryPolicy = {
  initialInterval: 500,
  backoffCoefficient: 2,
  maximumInterval: 30_000,
  maximumAttempts: 5,
  nonRetryableErrorCodes: [],
};

/**
 * Backoff before retry number `attempt` (1 = the first retry): exponential, capped, with
 * "equal jitter" (half fixed, half random) so concurrent clients spread out.
 * @example
 * backoffDelay(DEFAULT_RETRY_POLICY, 1, Math.random); // 250..500 ms
 */
export function backoffDelay(
  policy: TransportRetryPolicy,
  attempt: number,
  random: () => number,
): number {
  const ceiling = Math.min(
    policy.maximumInterval,
    policy.initialInterval * policy.backoffCoefficient ** (attempt - 1),
  );
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
