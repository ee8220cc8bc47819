/**
 * @module
 * `collectMetrics`: an rxjs pipeline fetching every target's daily metrics from its platform,
 * all platforms in parallel and each within a concurrency limit of its own (quotas are
 * enforced by the connectors), incremental (a cursor per campaign step and platform: only
 * days not yet settled are fetched again), retried per the retry policy when a platform
 * fails retryably, normalised and stored. It emits progress events; a failure of one target
 * is reported and the others go on.
 */
import {
  concat,
  defer,
  from,
  lastValueFrom,
  merge,
  mergeMap,
  of,
  toArray,
  type Observable,
} from 'rxjs';
import type { ConnectorRegistry, MetricsRow } from '../connectors/connector.js';
import { isConnectorError } from '../connectors/connector-error.js';
import { resolvePlatform } from '../connectors/connector-registry.js';
import {
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  type RetryPolicy,
} from '../connectors/retry-policy.js';
import { isHeraldError } from '../errors.js';
import type { Clock } from '../schedule/clock.js';
import type { Platform } from '../spec/platforms.js';
import type { CurrencyRates } from './currency-rates.js';
import type { MetricsDatabase } from './metrics-database.js';
import { normaliseRow, type MetricRecord } from './normalise-metrics.js';
import { PLATFORM_METRIC_MAPPINGS } from './platform-metric-mappings.js';
import { addDays, dayAt } from './reporting-day.js';

/** One campaign step whose metrics are collected from one platform. */
export interface CollectionTarget {
  readonly campaignId: string;
  readonly stepId: string;
  /** The step's platform; generic channels (`email`) resolve through the registry's providers. */
  readonly platform: Platform;
  /** Only these platform entities (ads, posts, campaigns). @default everything the platform returns */
  readonly entities?: readonly string[];
  /** The campaign's ISO 4217 currency. */
  readonly currency: string;
  /** The campaign's IANA zone. */
  readonly zone: string;
  /** First day to collect, `YYYY-MM-DD`. */
  readonly from: string;
  /** Last day to collect, inclusive. */
  readonly to: string;
}

/** Options of {@link collectMetrics}. */
export interface CollectOptions {
  readonly connectors: ConnectorRegistry;
  readonly database: MetricsDatabase;
  readonly rates: CurrencyRates;
  readonly clock: Clock;
  /** Targets fetched at once per platform. @default defaultConcurrency */
  readonly concurrency?: Readonly<Partial<Record<Platform, number>>>;
  /** @default 4 */
  readonly defaultConcurrency?: number;
  /** Retries of a whole fetch after the HTTP layer gave up retryably (circuit open…). @default DEFAULT_RETRY_POLICY */
  readonly retry?: Partial<RetryPolicy>;
  /** Jitter source of retry backoff. @default Math.random */
  readonly random?: () => number;
  /** Ignore cursors and fetch every day again. @default false */
  readonly full?: boolean;
  readonly signal?: AbortSignal;
}

/** An error as data. */
export interface CollectionError {
  readonly code: string;
  readonly message: string;
  readonly retryable: boolean;
}

/** What the pipeline reports. */
export type CollectionEvent =
  | { readonly type: 'metrics.started'; readonly targets: number; readonly at: number }
  | {
      readonly type: 'metrics.stored';
      readonly target: CollectionTarget;
      readonly platform: Platform;
      /** Platform days requested. */
      readonly range: { readonly from: string; readonly to: string };
      readonly rows: number;
      /** Rows that changed the store (new days, revised days). */
      readonly changed: number;
      /** Rows that could not be read, with why. */
      readonly rejected: readonly string[];
      /** Campaign days the fetch covered. */
      readonly days: readonly string[];
      readonly attempts: number;
    }
  | {
      readonly type: 'metrics.skipped';
      readonly target: CollectionTarget;
      readonly platform: Platform;
      readonly reason: string;
    }
  | {
      readonly type: 'metrics.failed';
      readonly target: CollectionTarget;
      readonly platform: Platform;
      readonly error: CollectionError;
      readonly attempts: number;
    }
  | {
      readonly type: 'metrics.progress';
      readonly done: number;
      readonly failed: number;
      readonly total: number;
    }
  | {
      readonly type: 'metrics.completed';
      readonly stored: number;
      readonly skipped: number;
      readonly failed: number;
      readonly startedAt: number;
      readonly finishedAt: number;
    };

/** Target outcomes; `progress` and `completed` are added around them. */
type TargetEvent = Extract<
  CollectionEvent,
  { type: 'metrics.stored' | 'metrics.skipped' | 'metrics.failed' }
>;

/**
 * Collects every target's metrics; completes when every target is stored, skipped or failed.
 * @example
 * collectMetrics(targets, { connectors, database, rates, clock }).subscribe((e) => log(e.type));
 */
export function collectMetrics(
  targets: readonly CollectionTarget[],
  options: CollectOptions,
): Observable<CollectionEvent> {
  return defer(() => {
    const startedAt = options.clock.now();
    const byPlatform = new Map<Platform, CollectionTarget[]>();
    for (const target of targets) {
      const platform = resolvePlatform(target.platform);
      byPlatform.set(platform, [...(byPlatform.get(platform) ?? []), target]);
    }
    const lanes = [...byPlatform].map(([platform, list]) =>
      from(list).pipe(
        mergeMap(
          (target) => defer(() => collectTarget(target, platform, options)),
          Math.max(1, options.concurrency?.[platform] ?? options.defaultConcurrency ?? 4),
        ),
      ),
    );
    const counts = { stored: 0, skipped: 0, failed: 0 };
    const outcomes = merge(...lanes).pipe(
      mergeMap((event: TargetEvent) => {
        if (event.type === 'metrics.stored') counts.stored++;
        else if (event.type === 'metrics.skipped') counts.skipped++;
        else counts.failed++;
        const progress: CollectionEvent = {
          type: 'metrics.progress',
          done: counts.stored + counts.skipped + counts.failed,
          failed: counts.failed,
          total: targets.length,
        };
        return from([event, progress] as CollectionEvent[]);
      }),
    );
    return concat(
      of({ type: 'metrics.started', targets: targets.length, at: startedAt } as CollectionEvent),
      outcomes,
      defer(() =>
        of({
          type: 'metrics.completed',
          ...counts,
          startedAt,
          finishedAt: options.clock.now(),
        } as CollectionEvent),
      ),
    );
  });
}

async function collectTarget(
  target: CollectionTarget,
  platform: Platform,
  options: CollectOptions,
): Promise<TargetEvent> {
  const mapping = PLATFORM_METRIC_MAPPINGS[platform];
  const settleDays = mapping?.settleDays ?? 1;
  const cursor = options.full
    ? undefined
    : options.database.cursor(target.campaignId, target.stepId, platform);
  // One day either side: the platform's zone may put a campaign day's data on a neighbouring date.
  const wanted = { from: addDays(target.from, -1), to: addDays(target.to, 1) };
  const range = {
    from: cursor && addDays(cursor, 1) > wanted.from ? addDays(cursor, 1) : wanted.from,
    to: wanted.to,
  };
  if (range.from > range.to) {
    return { type: 'metrics.skipped', target, platform, reason: `settled up to ${cursor!}` };
  }
  const policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const random = options.random ?? Math.random;
  let attempts = 0;
  for (;;) {
    attempts++;
    try {
      const connector = options.connectors.get(platform);
      if (!connector.fetchMetrics) {
        return {
          type: 'metrics.skipped',
          target,
          platform,
          reason: `${platform} has no metrics to fetch`,
        };
      }
      const rows = await connector.fetchMetrics({
        from: range.from,
        to: range.to,
        ...(target.entities ? { entities: target.entities } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      return store(target, platform, range, rows, attempts, settleDays, options);
    } catch (error) {
      const summary = summarise(error);
      const give_up =
        !summary.retryable ||
        attempts >= policy.maximumAttempts ||
        policy.nonRetryableErrorCodes.some((code) => code === summary.code) ||
        options.signal?.aborted === true;
      if (give_up) return { type: 'metrics.failed', target, platform, error: summary, attempts };
      const wait = Math.max(
        backoffDelay(policy, attempts, random),
        isConnectorError(error) ? (error.retryAfterMs ?? 0) : 0,
      );
      await options.clock.sleepUntil(options.clock.now() + wait, options.signal);
    }
  }
}

function store(
  target: CollectionTarget,
  platform: Platform,
  range: { from: string; to: string },
  rows: readonly MetricsRow[],
  attempts: number,
  settleDays: number,
  options: CollectOptions,
): TargetEvent {
  const fetchedAt = options.clock.now();
  const wanted = target.entities ? new Set(target.entities) : undefined;
  const unique = new Map<string, MetricRecord>();
  const rejected: string[] = [];
  let zone: string | undefined;
  for (const row of rows) {
    if (wanted && row.entity !== undefined && !wanted.has(row.entity)) continue;
    const result = normaliseRow(row, {
      campaignId: target.campaignId,
      stepId: target.stepId,
      platform,
      campaignCurrency: target.currency,
      campaignZone: target.zone,
      rates: options.rates,
      fetchedAt,
    });
    if (!result.success) {
      rejected.push(...result.error.map((issue) => issue.message));
      continue;
    }
    const record = result.data;
    zone = record.sourceZone;
    if (record.day < target.from || record.day > target.to) continue;
    // A page repeated by a retry, or a day listed twice: the last one read wins.
    unique.set(`${record.entity}|${record.sourceDay}`, record);
  }
  const records = [...unique.values()];
  const changed = options.database.upsert(records);
  const today = dayAt(fetchedAt, zone ?? PLATFORM_METRIC_MAPPINGS[platform]?.defaultZone ?? 'UTC');
  const settled = addDays(today, -settleDays);
  const last = settled < range.to ? settled : range.to;
  if (last >= range.from) {
    options.database.setCursor(target.campaignId, target.stepId, platform, last, fetchedAt);
  }
  return {
    type: 'metrics.stored',
    target,
    platform,
    range,
    rows: rows.length,
    changed,
    rejected,
    days: [...new Set(records.map((r) => r.day))].sort(),
    attempts,
  };
}

function summarise(error: unknown): CollectionError {
  if (isConnectorError(error)) {
    return { code: error.code, message: error.message, retryable: error.retryable };
  }
  if (isHeraldError(error)) return { code: error.code, message: error.message, retryable: false };
  return { code: 'unexpected', message: String(error), retryable: false };
}

/** Collects and waits: resolves with every event once the pipeline completes. */
export function collectAll(
  targets: readonly CollectionTarget[],
  options: CollectOptions,
): Promise<CollectionEvent[]> {
  return lastValueFrom(collectMetrics(targets, options).pipe(toArray()));
}
