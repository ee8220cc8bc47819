/**
 * @module
 * The shared HTTP client every connector uses: auth, quota, server-driven pauses, retries with
 * jittered backoff on the injected clock, the circuit breaker (as states of the connector
 * machine), response validation and secret scrubbing. `fetch` is taken at call time.
 */
import { createActor, type Actor } from 'xstate';
import type { z } from 'zod';
import { checkOutboundUrl, type OutboundPolicy } from '../compliance/ssrf-guard.js';
import type { Clock } from '../schedule/clock.js';
import type { Platform } from '../spec/platforms.js';
import type { AuthStrategy } from './auth-strategy.js';
import { ConnectorError, type ConnectorErrorCode } from './connector-error.js';
import type { ConnectorHealth } from './connector.js';
import { connectorMachine } from './connector-machine.js';
import type { QuotaLimiter, RateQuota } from './quota-limiter.js';
import { validateResponse } from './response-validation.js';
import { backoffDelay, DEFAULT_RETRY_POLICY, type TransportRetryPolicy } from './retry-policy.js';
import {
  hasCauseCode,
  readResponse,
  type RawResponse,
  type ResponseFailure,
} from './raw-response.js';

/** Options of {@link HttpClient}. */
export interface HttpClientOptions {
  readonly platform: Platform;
  readonly baseUrl: string;
  /** Pinned API version, named in `version_sunset` errors. */
  readonly apiVersion: string;
  /** Version to move to when the pinned one is retired. @default 'the current version' */
  readonly successorVersion?: string;
  readonly auth: AuthStrategy;
  readonly clock: Clock;
  readonly limiter: QuotaLimiter;
  /** Quota of requests that name none. */
  readonly quota: RateQuota;
  /** Account the credential belongs to, part of every quota lane. @default 'default' */
  readonly account?: string;
  /** Maps a response to a failure, or undefined when it succeeded. */
  readonly interpret: (response: RawResponse) => ResponseFailure | undefined;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** @default DEFAULT_RETRY_POLICY */
  readonly retry?: Partial<TransportRetryPolicy>;
  /** Consecutive server failures that open the circuit. @default 5 */
  readonly failureThreshold?: number;
  /** How long the circuit stays open before one probe. @default 30_000 */
  readonly resetTimeoutMs?: number;
  /** Transport timeout in real milliseconds. @default 30_000 */
  readonly timeoutMs?: number;
  /** @default Math.random */
  readonly random?: () => number;
  /**
   * Where requests may go: every URL must reach public addresses over https (checked by
   * `checkOutboundUrl`, names resolved), except origins or host names in `allowlist` — the
   * sandbox's, given explicitly. @default {}
   */
  readonly outbound?: OutboundPolicy;
}

/** How long a host's cleared addresses are trusted before they are resolved again. */
const CLEARED_FOR_MS = 60_000;

/** One call. */
export interface HttpRequest<T> {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path under `baseUrl`, or an absolute URL (webhooks). */
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly schema: z.ZodType<T>;
  /** False for sends: a failure after the platform may have acted is `unknown_outcome`. */
  readonly idempotent: boolean;
  /** Quota lane within the account, e.g. a Slack channel. @default 'api' */
  readonly lane?: string;
  /** Quota of that lane. @default the client's quota */
  readonly quota?: RateQuota;
  /** Form fields, sent as `application/x-www-form-urlencoded` instead of `body`. */
  readonly form?: Readonly<Record<string, string>>;
  /** False for URLs that are their own credential. @default true */
  readonly authenticate?: boolean;
  readonly signal?: AbortSignal;
  readonly fetch?: typeof fetch;
}

/** A validated response. */
export interface HttpResponse<T> {
  readonly status: number;
  readonly headers: Headers;
  readonly data: T;
}

/**
 * The shared HTTP client.
 * @example
 * const client = new HttpClient({ platform: 'sendgrid', baseUrl, apiVersion: 'v3', auth, clock, limiter, interpret });
 * await client.request({ method: 'GET', path: '/v3/stats', schema: Stats, idempotent: true });
 */
export class HttpClient {
  readonly #options: HttpClientOptions;
  readonly #policy: TransportRetryPolicy;
  readonly #actor: Actor<typeof connectorMachine>;
  /** The credential an `auth_expired` answer was given for, kept off the error itself. */
  readonly #staleTokens = new WeakMap<ConnectorError, string>();
  /** True while the one half-open probe is in flight. */
  #probing = false;
  /** Origin → wall-clock ms until which its check holds. */
  readonly #cleared = new Map<string, number>();

  constructor(options: HttpClientOptions) {
    this.#options = options;
    this.#policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.#actor = createActor(connectorMachine, {
      input: { failureThreshold: options.failureThreshold ?? 5 },
    }).start();
  }

  /** State value and counters of the connector machine. */
  health(): ConnectorHealth {
    const snapshot = this.#actor.getSnapshot();
    return {
      state: snapshot.value,
      counters: snapshot.context.counters,
      lastError: snapshot.context.lastError,
    };
  }

  /** Sends `request`, retrying retryable failures; throws `ConnectorError`. */
  async request<T>(request: HttpRequest<T>): Promise<HttpResponse<T>> {
    await this.#ensureAuthenticated(request.signal);
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      const probe = this.#checkCircuit();
      try {
        return await this.#attempt(request);
      } catch (error) {
        const failure = this.#toConnectorError(error);
        const staleToken = this.#staleTokens.get(failure);
        if (failure.code === 'auth_expired' && !refreshed && staleToken !== undefined) {
          refreshed = true;
          if (await this.#options.auth.refresh(staleToken, request.signal)) {
            attempt--;
            continue;
          }
        }
        const retryable =
          failure.retryable && !this.#policy.nonRetryableErrorCodes.includes(failure.code);
        if (!retryable || attempt >= this.#policy.maximumAttempts) throw failure;
        if (failure.code !== 'rate_limited' || failure.retryAfterMs === undefined) {
          const random = this.#options.random ?? Math.random;
          const wait = backoffDelay(this.#policy, attempt, random);
          await this.#options.clock.sleepUntil(this.#options.clock.now() + wait, request.signal);
          this.#actor.send({ type: 'backoff.elapsed' });
        }
      } finally {
        if (probe) this.#probing = false;
      }
    }
  }

  async #ensureAuthenticated(signal: AbortSignal | undefined): Promise<void> {
    if (!this.#actor.getSnapshot().matches('idle')) return;
    this.#actor.send({ type: 'connector.start' });
    const probe = { headers: {}, query: {} };
    try {
      await this.#options.auth.authorize(probe, signal);
    } catch (error) {
      const failure = new ConnectorError({
        platform: this.#options.platform,
        code: 'auth_expired',
        message: `could not obtain a credential: ${this.#scrub(errorMessage(error))}`,
        retryable: false,
      });
      this.#actor.send({ type: 'auth.failed', code: failure.code, message: failure.message });
      throw failure;
    }
    this.#actor.send({ type: 'auth.succeeded' });
  }

  /** Fails fast while the circuit is open; returns true when this request is the one probe. */
  #checkCircuit(): boolean {
    const snapshot = this.#actor.getSnapshot();
    const open = snapshot.matches('circuitOpen');
    if (!open && !(snapshot.matches('halfOpen') && this.#probing)) return false;
    const reopenAt = (snapshot.context.openedAt ?? 0) + (this.#options.resetTimeoutMs ?? 30_000);
    const now = this.#options.clock.now();
    if (open && now >= reopenAt) {
      this.#actor.send({ type: 'circuit.probe' });
      this.#probing = true;
      return true;
    }
    throw new ConnectorError({
      platform: this.#options.platform,
      code: 'transient',
      message: 'circuit open after repeated failures; not calling the platform',
      retryable: false,
      retryAfterMs: Math.max(reopenAt - now, 0),
    });
  }

  async #attempt<T>(request: HttpRequest<T>): Promise<HttpResponse<T>> {
    const { platform, clock, limiter } = this.#options;
    const rateKey = this.#rateKey(request);
    await limiter.acquire(rateKey, request.quota ?? this.#options.quota, request.signal);
    const signed = { headers: { accept: 'application/json' } as Record<string, string>, query: {} };
    const token =
      request.authenticate === false
        ? ''
        : await this.#options.auth.authorize(signed, request.signal);
    const url = this.#url(request.path, { ...signed.query, ...request.query });
    await this.#guard(url);
    const init: RequestInit = { method: request.method, headers: signed.headers };
    if (request.form) {
      signed.headers['content-type'] = 'application/x-www-form-urlencoded';
      init.body = new URLSearchParams(request.form).toString();
    } else if (request.body !== undefined) {
      signed.headers['content-type'] = 'application/json; charset=utf-8';
      init.body = JSON.stringify(request.body);
    }
    const timeout = AbortSignal.timeout(this.#options.timeoutMs ?? 30_000);
    init.signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    const doFetch = request.fetch ?? this.#options.fetch ?? globalThis.fetch;
    this.#actor.send({ type: 'request.sent' });
    let raw: RawResponse;
    try {
      raw = await clock.track(readResponse(doFetch, url, init));
    } catch (error) {
      if (request.signal?.aborted) throw request.signal.reason;
      const refused = hasCauseCode(error, 'ECONNREFUSED');
      const code: ConnectorErrorCode =
        refused || request.idempotent ? 'transient' : 'unknown_outcome';
      throw this.#fail(
        new ConnectorError({
          platform,
          code,
          message: refused
            ? 'connection refused before the request was sent'
            : `no response (${timeout.aborted ? 'timed out' : 'connection lost'}); the platform may have acted`,
          retryable: code === 'transient',
        }),
      );
    }
    this.#readPauses(rateKey, raw);
    const failure = this.#options.interpret(raw);
    if (failure) throw this.#fail(this.#errorFor(failure, raw, request, token));
    const data = validateResponse(
      platform,
      request.path.startsWith('http') ? 'webhook' : request.path,
      request.schema,
      raw.body,
    );
    this.#actor.send({ type: 'request.succeeded' });
    return { status: raw.status, headers: raw.headers, data };
  }

  #errorFor<T>(
    failure: ResponseFailure,
    raw: RawResponse,
    request: HttpRequest<T>,
    token: string,
  ): ConnectorError {
    const { platform, clock, limiter } = this.#options;
    const mayHaveCommitted = failure.mayHaveCommitted ?? (raw.status >= 500 && raw.status !== 503);
    const code: ConnectorErrorCode =
      failure.code === 'transient' && mayHaveCommitted && !request.idempotent
        ? 'unknown_outcome'
        : failure.code;
    const pausedUntil = limiter.pausedUntil(this.#rateKey(request));
    const details = failure.platformMessage ? `: ${failure.platformMessage}` : '';
    const message =
      code === 'version_sunset'
        ? `API version ${this.#options.apiVersion} is retired; move to ${this.#options.successorVersion ?? 'the current version'}${details}`
        : code === 'unknown_outcome'
          ? `HTTP ${raw.status} after the platform may have acted${details}`
          : `HTTP ${raw.status}${details}`;
    const error = new ConnectorError({
      platform,
      code,
      status: raw.status,
      message: this.#scrub(message),
      ...(code === 'rate_limited' && pausedUntil > clock.now()
        ? { retryAfterMs: pausedUntil - clock.now() }
        : {}),
      ...(failure.platformCode !== undefined
        ? { platformCode: this.#scrub(failure.platformCode) }
        : {}),
      ...(failure.platformMessage !== undefined
        ? { platformMessage: this.#scrub(failure.platformMessage) }
        : {}),
    });
    if (code === 'auth_expired') this.#staleTokens.set(error, token);
    return error;
  }

  #fail(error: ConnectorError): ConnectorError {
    const now = this.#options.clock.now();
    if (error.code === 'rate_limited') {
      this.#actor.send({ type: 'rate.limited', until: now + (error.retryAfterMs ?? 0) });
    } else if (error.code === 'transient' || error.code === 'unknown_outcome') {
      this.#actor.send({
        type: 'request.failed',
        code: error.code,
        message: error.message,
        at: now,
      });
    } else if (error.code === 'auth_expired') {
      this.#actor.send({ type: 'auth.expired' });
      this.#actor.send({ type: 'auth.succeeded' });
    }
    return error;
  }

  #readPauses(rateKey: string, raw: RawResponse): void {
    const { clock, limiter } = this.#options;
    const retryAfter = Number(raw.headers.get('retry-after') ?? Number.NaN);
    if (Number.isFinite(retryAfter)) limiter.pause(rateKey, clock.now() + retryAfter * 1000);
    const remaining = raw.headers.get('x-ratelimit-remaining');
    const reset = Number(raw.headers.get('x-ratelimit-reset') ?? Number.NaN);
    if (remaining === '0' && Number.isFinite(reset)) limiter.pause(rateKey, reset * 1000);
    if (
      limiter.pausedUntil(rateKey) <= clock.now() &&
      this.#actor.getSnapshot().matches('throttled')
    ) {
      this.#actor.send({ type: 'rate.resumed' });
    }
  }

  /**
   * Refuses a URL that reaches loopback, private, link-local or metadata addresses, or plain
   * http, unless the policy allowlists it: webhook and base URLs come from users and specs.
   */
  async #guard(href: string): Promise<void> {
    const url = new URL(href);
    const policy = this.#options.outbound ?? {};
    const allowlist = policy.allowlist ?? [];
    if (allowlist.includes(url.origin) || allowlist.includes(url.hostname)) return;
    if ((this.#cleared.get(url.origin) ?? 0) > Date.now()) return;
    const verdict = await checkOutboundUrl(url, { ...policy, protocols: ['https:'] });
    if (!verdict.success) {
      const issue = verdict.error[0]!;
      throw new ConnectorError({
        platform: this.#options.platform,
        code: 'invalid_request',
        message: `refused to call ${url.host}: ${issue.message} — a webhook or base URL must reach a public address over https (the sandbox is reached only in sandbox mode) [${issue.code}]`,
        retryable: false,
      });
    }
    this.#cleared.set(url.origin, Date.now() + CLEARED_FOR_MS);
  }

  #toConnectorError(error: unknown): ConnectorError {
    if (error instanceof ConnectorError) return error;
    throw error;
  }

  #rateKey(request: HttpRequest<unknown>): string {
    return `${this.#options.platform}:${this.#options.account ?? 'default'}:${request.lane ?? 'api'}`;
  }

  #url(path: string, query: Record<string, string>): string {
    const url = new URL(
      path.startsWith('http')
        ? path
        : `${this.#options.auth.baseUrl ?? this.#options.baseUrl}${path}`,
    );
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    return url.toString();
  }

  #scrub(text: string): string {
    let out = text;
    for (const secret of this.#options.auth.secrets()) {
      if (secret.length > 0) out = out.split(secret).join('[redacted]');
    }
    return out;
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
