/**
 * @module
 * `collectMetrics`: an rxjs pipeline fetching every target's daily metrics from its platform,
 * all platforms in parallel and each within a concurrency limit of its own (quotas are
 * enforced by the connectors), targets asking for the same days sharing requests, incremental (a cursor per campaign step and platform: only
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
  type TransportRetryPolicy,
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
  readonly retry?: Partial<TransportRetryPolicy>;
  /** Jitter source of retry backoff. @default Math.random */
  readonly random?: () => number;
  /** Ignore cursors and fetch every day again. @default false */
  readonly full?: boolean;
  /**
   * Share one request among targets asking a platform for the same days: account-wide ones
   * share one, entity ones are merged up to `maxEntitiesPerRequest` entities. @default true
   */
  readonly batch?: boolean;
  /** Most entities named in one shared request. @default 50 */
  readonly maxEntitiesPerRequest?: number;
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
      const list = byPlatform.get(platform) ?? [];
      list.push(target);
      byPlatform.set(platform, list);
    }
    const lanes = [...byPlatform].map(([platform, list]) => {
      const { skipped, batches } = planBatches(list, platform, options);
      return merge(
        from(skipped),
        from(batches).pipe(
          mergeMap(
            (batch) => defer(() => collectBatch(batch, options)),
            Math.max(1, options.concurrency?.[platform] ?? options.defaultConcurrency ?? 4),
          ),
          mergeMap((events) => from(events)),
        ),
      );
    });
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

interface PlannedTarget {
  readonly target: CollectionTarget;
  readonly range: { readonly from: string; readonly to: string };
}

/** One request to a platform, serving one or more targets. */
interface Batch {
  readonly platform: Platform;
  readonly range: { readonly from: string; readonly to: string };
  readonly targets: readonly PlannedTarget[];
  /** Union of the targets' entities; undefined for an account-wide request. */
  readonly entities?: readonly string[];
}

/**
 * Works out each target's range from its cursor, skips settled targets, and groups targets
 * asking for the same days into shared requests: account-wide targets share one, targets
 * naming entities share one per `maxEntitiesPerRequest` entities.
 */
function planBatches(
  targets: readonly CollectionTarget[],
  platform: Platform,
  options: CollectOptions,
): { skipped: TargetEvent[]; batches: Batch[] } {
  const skipped: TargetEvent[] = [];
  const groups = new Map<string, { range: PlannedTarget['range']; planned: PlannedTarget[] }>();
  for (const target of targets) {
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
      skipped.push({
        type: 'metrics.skipped',
        target,
        platform,
        reason: `settled up to ${cursor!}`,
      });
      continue;
    }
    const key =
      options.batch === false
        ? String(groups.size)
        : `${range.from}|${range.to}|${target.entities ? 'entities' : 'account'}`;
    const group = groups.get(key) ?? { range, planned: [] };
    group.planned.push({ target, range });
    groups.set(key, group);
  }
  const batches: Batch[] = [];
  const limit = Math.max(1, options.maxEntitiesPerRequest ?? 50);
  for (const { range, planned } of groups.values()) {
    if (!planned[0]!.target.entities) {
      batches.push({ platform, range, targets: planned });
      continue;
    }
    let current: PlannedTarget[] = [];
    let entities = new Set<string>();
    for (const item of planned) {
      const added = item.target.entities!.filter((e) => !entities.has(e)).length;
      if (current.length > 0 && entities.size + added > limit) {
        batches.push({ platform, range, targets: current, entities: [...entities] });
        current = [];
        entities = new Set();
      }
      current.push(item);
      for (const e of item.target.entities!) entities.add(e);
    }
    batches.push({ platform, range, targets: current, entities: [...entities] });
  }
  return { skipped, batches };
}

async function collectBatch(batch: Batch, options: CollectOptions): Promise<TargetEvent[]> {
  const { platform, range } = batch;
  const settleDays = PLATFORM_METRIC_MAPPINGS[platform]?.settleDays ?? 1;
  const policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const random = options.random ?? Math.random;
  let attempts = 0;
  for (;;) {
    attempts++;
    try {
      const connector = options.connectors.get(platform);
      if (!connector.fetchMetrics) {
        return batch.targets.map(({ target }) => ({
          type: 'metrics.skipped',
          target,
          platform,
          reason: `${platform} has no metrics to fetch`,
        }));
      }
      const rows = await connector.fetchMetrics({
        from: range.from,
        to: range.to,
        ...(batch.entities ? { entities: batch.entities } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      return batch.targets.map(({ target }) =>
        store(target, platform, range, rows, attempts, settleDays, options),
      );
    } catch (error) {
      const summary = summarise(error);
      const giveUp =
        !summary.retryable ||
        attempts >= policy.maximumAttempts ||
        policy.nonRetryableErrorCodes.some((code) => code === summary.code) ||
        options.signal?.aborted === true;
      if (giveUp) {
        return batch.targets.map(({ target }) => ({
          type: 'metrics.failed',
          target,
          platform,
          error: summary,
          attempts,
        }));
      }
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
