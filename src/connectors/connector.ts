/**
 * @module
 * The contract between the runtime and every platform adapter. The runtime journals each call
 * under `idempotencyKey` before `perform`, and after a crash asks `reconcile` whether an
 * earlier attempt took effect before it retries anything.
 */
import type { StepContent } from '../spec/campaign-schema.js';
import type { Platform, StepAction } from '../spec/platforms.js';
import type { ConnectorCounters } from './connector-machine.js';

/** What a connector can do. */
export const CAPABILITIES = [
  'publish',
  'send_email',
  'send_sms',
  'launch_ads',
  'pause_ads',
  'change_budget',
  'sync_audience',
  'fetch_metrics',
  'notify',
] as const;
/** What a connector can do. */
export type Capability = (typeof CAPABILITIES)[number];

/** A person a step reaches. Only ids and addresses cross into connectors; never logged. */
export interface Recipient {
  readonly id: string;
  readonly email?: string;
  readonly phone?: string;
  /** IANA zone of the recipient. */
  readonly zone?: string;
  readonly locale?: string;
  /** Variant of an A/B step this recipient gets. */
  readonly variant?: string;
}

/** One side-effecting call, already journaled under `idempotencyKey`. */
export interface ActionRequest {
  readonly campaignId: string;
  readonly stepId: string;
  /** A concrete platform: generic channels (`email`, `sms`, `cms`) are resolved before this. */
  readonly platform: Platform;
  readonly action: StepAction;
  /** Content with dependency outputs already bound (e.g. `link` = the blog post's URL). */
  readonly content: StepContent;
  readonly options: Readonly<Record<string, unknown>>;
  readonly budget?: { readonly amount: number; readonly period: 'daily' | 'lifetime' };
  readonly currency: string;
  /** Recipients of this batch; empty for posts, ads and notifications. */
  readonly recipients: readonly Recipient[];
  /** Deterministic key of this call: the same call after a restart has the same key. */
  readonly idempotencyKey: string;
  readonly signal?: AbortSignal;
}

/** What the platform accepted. */
export interface ActionResult {
  /** The platform's id of what was created (post id, batch id, message id…). */
  readonly externalId?: string;
  /**
   * Values later steps may bind into their content, e.g. `{ url: "https://…" }`. `id` is the
   * platform's id of what was created; `metricsEntity`, when the platform reports metrics
   * under another name (e.g. a SendGrid category), the entity to collect them by.
   */
  readonly outputs: Readonly<Record<string, string>>;
  /** Recipients (or items) the platform accepted. */
  readonly accepted: number;
}

/** Whether an attempt whose outcome was not recorded took effect on the platform. */
export type Reconciliation =
  | { readonly status: 'done'; readonly result: ActionResult }
  | { readonly status: 'not_found' }
  | { readonly status: 'unknown'; readonly reason: string };

/** A date range of platform metrics, days in the platform's reporting zone. */
export interface MetricsRequest {
  /** First day, `YYYY-MM-DD`. */
  readonly from: string;
  /** Last day, `YYYY-MM-DD`, inclusive. */
  readonly to: string;
  /** Only these platform entities (campaign, ad, post ids…). @default all the account has */
  readonly entities?: readonly string[];
  readonly signal?: AbortSignal;
}

/**
 * One day of one entity's metrics exactly as the platform reports them: its own names and
 * units (micros, minor currency units, percentages, numbers sent as strings); the metrics
 * layer normalises them. A metric the platform did not report is absent, never zero.
 */
export interface MetricsRow {
  /** The platform's reporting day, `YYYY-MM-DD`, in `timeZone`. */
  readonly date: string;
  /** The platform's id of the campaign, ad, post or message the row is about. */
  readonly entity?: string;
  readonly metrics: Readonly<Record<string, number | string | null>>;
  /** ISO 4217 currency of money metrics. */
  readonly currency?: string;
  /** IANA zone of the platform account's reporting day. @default "UTC" */
  readonly timeZone?: string;
}

/** What one recipient did with a step's message, as the platform recorded it. */
export interface RecipientEngagement {
  /** The address the message went to (e-mail or phone). */
  readonly address: string;
  readonly delivered: boolean;
  readonly bounced: boolean;
  readonly opened: boolean;
  readonly clicked: boolean;
  readonly unsubscribed: boolean;
}

/** Per-recipient engagement with the messages of one metrics entity (see `ActionResult`). */
export interface EngagementReport {
  readonly recipients: readonly RecipientEngagement[];
  /** False when the platform answers only part (e.g. the first 1,000 messages): say so. */
  readonly complete: boolean;
}

/** The connector machine's state and counters, for inspection. */
export interface ConnectorHealth {
  /** `idle`, `authenticating`, `ready`, `throttled`, `backoff`, `circuitOpen` or `halfOpen`. */
  readonly state: string;
  readonly counters: ConnectorCounters;
  readonly lastError: { readonly code: string; readonly message: string } | undefined;
}

/** Whose account a connector's credentials open, as the platform names it. */
export interface AccountIdentity {
  /** The platform's name or id of the account, e.g. a Twilio account's friendly name. */
  readonly account: string;
  /** Access level or tier the platform reports, e.g. `Trial`, when it reports one. */
  readonly tier?: string;
}

/** A platform adapter. */
export interface Connector {
  readonly platform: Platform;
  readonly capabilities: readonly Capability[];
  /** Most recipients one `perform` call may carry (1 for per-message APIs). */
  readonly maxBatchSize: number;
  /** Performs one action on the platform. Throws `ConnectorError`. */
  perform(request: ActionRequest): Promise<ActionResult>;
  /** Asks the platform whether `request` (by its idempotency key) already took effect. */
  reconcile(request: ActionRequest): Promise<Reconciliation>;
  /** Raw daily metrics, for platforms with the `fetch_metrics` capability. */
  fetchMetrics?(request: MetricsRequest): Promise<readonly MetricsRow[]>;
  /** Who received, opened, clicked, bounced or unsubscribed, for one metrics entity. */
  fetchEngagement?(
    entity: string,
    options?: { readonly signal?: AbortSignal },
  ): Promise<EngagementReport>;
  /** State of the connector machine (circuit, throttling) and its counters. */
  health?(): ConnectorHealth;
  /**
   * Proves the credentials with the platform's cheapest identity call, sending nothing.
   * Throws `ConnectorError` (`auth_expired`, `permission_denied`…) when they do not work.
   */
  verify?(signal?: AbortSignal): Promise<AccountIdentity>;
}

/** Finds the connector for a concrete platform. */
export interface ConnectorRegistry {
  /** Throws `ConfigurationError` naming the platform when none is configured. */
  get(platform: Platform): Connector;
}
