/**
 * @module
 * The types every fake platform shares: requests as received, responses, faults tests can
 * inject, and the interface a platform module implements.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Clock } from '../schedule/clock.js';
import type { Platform } from '../spec/platforms.js';
import type { EngagementEvent } from './message-engagement.js';

/** A fault a test injects into one platform; `times` defaults to 1, `path` to every path. */
export type SandboxFault = { readonly times?: number; readonly path?: string } & (
  | { readonly kind: '429'; readonly retryAfterSeconds: number }
  | { readonly kind: '5xx'; /** @default 500 */ readonly status?: number }
  /** The request is held without an answer (and without effect) until the sandbox closes. */
  | { readonly kind: 'timeout' }
  /** The platform commits the effect, then the connection is destroyed. */
  | { readonly kind: 'dropAfterCommit' }
  /** Credentials in use expire (OAuth platforms: until refreshed; key platforms: 401 `times`). */
  | { readonly kind: 'expiredToken' }
  /**
   * A response field (dot path inside the JSON body, or `header:<name>`) is renamed, or
   * removed without `renameTo`.
   */
  | { readonly kind: 'schemaDrift'; readonly field: string; readonly renameTo?: string }
  /** The pinned API version is retired. */
  | { readonly kind: 'versionSunset' }
);

/** A request as the fake platform saw it: the ground truth of tests. */
export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: IncomingHttpHeaders;
  /** Parsed JSON, form fields, or raw text. */
  readonly body: unknown;
  /** Sandbox clock time of arrival, epoch ms. */
  readonly at: number;
  /** Status answered, or undefined when the connection was held or dropped. */
  status?: number;
}

/** One message reaching one recipient (an address, a phone, a channel). */
export interface Delivery {
  readonly recipient: string;
  readonly messageId: string;
  /** The idempotency key the message carried, when it carried one. */
  readonly key: string | undefined;
  readonly at: number;
  /**
   * The sender's clock when it sent the message (its `x-herald-send-time` header, epoch ms),
   * when it said: on simulated time this, not `at`, is the instant the message went out.
   */
  readonly sentAt?: number;
}

/** A message's fate as the fake platform decided it: every event, future ones included. */
export interface MessageRecord {
  readonly recipient: string;
  readonly messageId: string;
  /** The categories (or tags) it carried. */
  readonly categories: readonly string[];
  readonly sentAt: number;
  readonly events: readonly EngagementEvent[];
}

/** An answer. A string body is sent as text/plain, anything else as JSON. */
export interface SandboxResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

/** A documented quota lane a request counts against. */
export interface QuotaLane {
  readonly key: string;
  readonly limit: number;
  readonly windowMs: number;
}

/** What a platform module may use. */
export interface SandboxContext {
  readonly clock: Clock;
  /** The sandbox seed, for values that must not depend on call order (e.g. daily metrics). */
  readonly seed: number;
  /** Seeded: the same seed gives the same ids and metrics. */
  readonly random: () => number;
  /** Records that `recipient` got a message. */
  deliver(delivery: Omit<Delivery, 'at'>): void;
}

/** One fake platform. */
export interface PlatformSandbox {
  readonly platform: Platform;
  /** The quota lane of a request, or undefined when it counts against none. */
  lane(request: ReceivedRequest): QuotaLane | undefined;
  /** Answers a request, committing its effects. */
  handle(request: ReceivedRequest): SandboxResponse;
  /** The platform's 429 answer. */
  rateLimited(retryAfterSeconds: number): SandboxResponse;
  /** The platform's answer to an outage. */
  serverError(status: number): SandboxResponse;
  /** The platform's answer to an expired credential. */
  expiredToken(): SandboxResponse;
  /** The platform's answer when the API version is retired. */
  versionSunset(): SandboxResponse;
  /** Expires every credential in use until the client refreshes (OAuth platforms only). */
  expireTokens?(): void;
  /** Every accepted message with its engagement (message platforms only). */
  messages?(): readonly MessageRecord[];
  /** Headers added to every answer of a lane (e.g. X-RateLimit-*). */
  quotaHeaders?(lane: QuotaLane, used: number, resetAt: number): Record<string, string>;
}

/** Builds a platform module for one sandbox. */
export type PlatformSandboxFactory = (context: SandboxContext) => PlatformSandbox;
