/**
 * @module
 * What the registry hands every connector factory: clock, shared quota limiter, `fetch`,
 * credentials, HTTP-client tuning and the outbound policy.
 */
import type { OutboundPolicy } from '../compliance/ssrf-guard.js';
import type { Clock } from '../schedule/clock.js';
import type { CredentialSource } from './connector-credentials.js';
import type { QuotaLimiter } from './quota-limiter.js';
import type { TransportRetryPolicy } from './retry-policy.js';

/** What every connector factory receives from the registry. */
export interface ConnectorDeps extends CredentialSource {
  readonly clock: Clock;
  readonly limiter: QuotaLimiter;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** Base URL per platform, e.g. the sandbox's. */
  readonly baseUrl?: string;
  /** Transport retry policy. @default DEFAULT_RETRY_POLICY */
  readonly retry?: Partial<TransportRetryPolicy>;
  /** @default Math.random */
  readonly random?: () => number;
  /** Transport timeout in real ms. @default 30_000 */
  readonly timeoutMs?: number;
  /** Consecutive failures that open the circuit. @default 5 */
  readonly failureThreshold?: number;
  /** Open-circuit cool-down in clock ms. @default 30_000 */
  readonly resetTimeoutMs?: number;
  /** Where requests may go (the sandbox's origins in `allowlist`). @default public https only */
  readonly outbound?: OutboundPolicy;
}

/** The optional HTTP client settings of `deps`, without undefined values. */
export function clientOptions(deps: ConnectorDeps): {
  fetch?: typeof fetch;
  retry?: Partial<TransportRetryPolicy>;
  random?: () => number;
  timeoutMs?: number;
  failureThreshold?: number;
  resetTimeoutMs?: number;
  outbound?: OutboundPolicy;
} {
  return Object.fromEntries(
    Object.entries({
      fetch: deps.fetch,
      retry: deps.retry,
      random: deps.random,
      timeoutMs: deps.timeoutMs,
      failureThreshold: deps.failureThreshold,
      resetTimeoutMs: deps.resetTimeoutMs,
      outbound: deps.outbound,
    }).filter(([, value]) => value !== undefined),
  );
}
