/**
 * @module
 * Results flowing back into running campaigns: a campaign's metrics collected from every
 * platform it used (as `herald run` ends, and on a schedule while it runs), its metric rules
 * evaluated as they arrive, and its report written. The composition of the metrics layer
 * with a `CampaignSystem`.
 */
import { DateTime } from 'luxon';
import { lastValueFrom, toArray } from 'rxjs';
import type { ConnectorRegistry } from '../connectors/connector.js';
import {
  writeCampaignReport,
  type CampaignReport as WrittenReport,
} from '../metrics/campaign-report.js';
import { createCampaignRuleEffects } from '../metrics/campaign-rule-effects.js';
import { campaignTargets } from '../metrics/campaign-targets.js';
import { computeKpis } from '../metrics/kpi-calculator.js';
import type { CurrencyRates } from '../metrics/currency-rates.js';
import { collectMetrics, type CollectionEvent } from '../metrics/metrics-collector.js';
import type { MetricsDatabase } from '../metrics/metrics-database.js';
import { PLATFORM_METRIC_MAPPINGS } from '../metrics/platform-metric-mappings.js';
import { RuleEngine, type RuleEvaluation } from '../metrics/rule-engine.js';
import type { Clock } from '../schedule/clock.js';
import type { HeraldStore } from '../store/herald-store.js';
import type { CampaignSystem } from './campaign-system.js';
import { resolvePlatform } from '../connectors/connector-registry.js';

/** "Not yet", for a step that has not run: far enough that no rule window ends before it. */
const LATEST_INSTANT = Date.UTC(9999, 0, 1);

/** Options of {@link CampaignMetrics}. */
export interface CampaignMetricsOptions {
  readonly system: CampaignSystem;
  readonly store: HeraldStore;
  readonly connectors: ConnectorRegistry;
  readonly database: MetricsDatabase;
  readonly clock: Clock;
  /** Exchange rates into campaign currencies. @default USD only */
  readonly rates?: CurrencyRates;
  /** How often (clock ms) a watched campaign's metrics are collected and its rules evaluated. @default 6 hours */
  readonly everyMs?: number;
}

/** What one collection pass found. */
export interface CollectionSummary {
  readonly stored: number;
  readonly failed: number;
  readonly failures: readonly string[];
}

/**
 * Collects, evaluates and reports on campaigns.
 * @example
 * const metrics = new CampaignMetrics({ system, store, connectors, database, clock });
 * const stop = metrics.watch(id);           // rules act while it runs
 * await system.settled(id); stop();
 * await metrics.collect(id);
 * await metrics.report(id, '.herald/reports/launch');
 */
export class CampaignMetrics {
  readonly engine: RuleEngine;
  /** Errors that ended a watch loop, for whoever supervises it. */
  readonly errors: unknown[] = [];
  readonly #options: CampaignMetricsOptions;
  /** When each step (and, under the empty step id, each campaign) started, refreshed before evaluating. */
  readonly #started = new Map<string, number>();

  constructor(options: CampaignMetricsOptions) {
    this.#options = options;
    const specOf = async (id: string) => (await options.store.getCampaign(id))!.spec;
    this.engine = new RuleEngine({
      database: options.database,
      clock: options.clock,
      // A rule's window counts from when its step ran; a step that has not run yet is not judged.
      startedAt: (campaignId, stepId) =>
        this.#started.get(`${campaignId}\u0000${stepId ?? ''}`) ?? LATEST_INSTANT,
      effects: createCampaignRuleEffects({
        system: options.system,
        connectors: options.connectors,
        caller: options.system.caller,
        specOf,
        launchedAs: async (id, stepId) => {
          const step = (await options.system.report(id)).steps.find((s) => s.id === stepId);
          return step?.status === 'done' ? step.result?.outputs.id : undefined;
        },
      }),
    });
  }

  /** Collects every day of the campaign so far from each platform it used. */
  async collect(campaignId: string): Promise<CollectionSummary> {
    const { store, clock, database, connectors } = this.#options;
    const record = (await store.getCampaign(campaignId))!;
    const zone = record.spec.defaultZone;
    const range = {
      from: DateTime.fromMillis(record.createdAt, { zone }).toISODate()!,
      to: DateTime.fromMillis(clock.now(), { zone }).toISODate()!,
    };
    // Account-wide: the platforms' own ids of what a step created are not yet kept per step.
    const targets = campaignTargets(campaignId, record.spec, range);
    const events: CollectionEvent[] = await lastValueFrom(
      collectMetrics(targets, {
        connectors,
        database,
        clock,
        rates: this.#options.rates ?? { base: 'USD', rates: {} },
      }).pipe(toArray()),
    );
    const failures = events.flatMap((e) =>
      e.type === 'metrics.failed' ? [`${e.platform}: ${e.error.message}`] : [],
    );
    return {
      stored: events.filter((e) => e.type === 'metrics.stored').length,
      failed: failures.length,
      failures,
    };
  }

  /** Evaluates the campaign's metric rules on what has been collected. */
  async evaluate(campaignId: string): Promise<RuleEvaluation[]> {
    const record = (await this.#options.store.getCampaign(campaignId))!;
    this.#started.set(`${campaignId}\u0000`, record.createdAt);
    for (const step of (await this.#options.system.report(campaignId)).steps) {
      if (step.result)
        this.#started.set(`${campaignId}\u0000${step.id}`, Date.parse(step.result.finishedAt));
    }
    return this.engine.evaluate(campaignId, record.spec);
  }

  /**
   * While the campaign runs, collects and evaluates every `everyMs` of clock time; returns a
   * function that stops watching (it also stops by itself once the campaign has ended).
   */
  watch(campaignId: string): () => void {
    const controller = new AbortController();
    const every = this.#options.everyMs ?? 6 * 3_600_000;
    const loop = async () => {
      const { clock, system } = this.#options;
      while (!controller.signal.aborted && system.running.includes(campaignId)) {
        await clock.sleepUntil(clock.now() + every, controller.signal);
        if (!system.running.includes(campaignId)) break;
        await this.collect(campaignId);
        await this.evaluate(campaignId);
      }
    };
    loop().catch((error: unknown) => {
      this.errors.push(error);
    });
    return () => {
      controller.abort();
    };
  }

  /**
   * A few lines a `report` step posts: the campaign's totals and main rates so far, with what
   * could not be collected.
   */
  async summary(campaignId: string): Promise<string> {
    const collected = await this.collect(campaignId);
    const record = (await this.#options.store.getCampaign(campaignId))!;
    const totals: Record<string, number> = {};
    for (const row of this.#options.database.records({ campaignId })) {
      for (const [field, value] of Object.entries(row.values)) {
        if (typeof value === 'number') totals[field] = (totals[field] ?? 0) + value;
      }
    }
    const kpis = computeKpis(totals);
    const count = (field: string) =>
      totals[field] === undefined
        ? undefined
        : `${field.replace('_', ' ')} ${Math.round(totals[field]).toLocaleString('en-US')}`;
    const rate = (name: string, value: number | undefined) =>
      value === undefined ? undefined : `${name} ${(value * 100).toFixed(2)}%`;
    const parts = [
      ...['sends', 'deliveries', 'impressions', 'clicks', 'conversions'].map(count),
      rate('open rate', kpis.open_rate.value),
      rate('CTR', kpis.ctr.value),
      totals.spend === undefined
        ? undefined
        : `spend ${totals.spend.toFixed(2)} ${record.spec.currency}`,
    ].filter((p): p is string => p !== undefined);
    const missing =
      collected.failures.length > 0 ? ` Not collected: ${collected.failures.join('; ')}.` : '';
    return `${record.spec.name} so far: ${parts.length > 0 ? parts.join(', ') : 'no metrics yet'}.${missing}`;
  }

  /** Writes the campaign's HTML and Markdown report with its charts into `outDir`. */
  async report(campaignId: string, outDir: string): Promise<WrittenReport> {
    const record = (await this.#options.store.getCampaign(campaignId))!;
    return writeCampaignReport({
      database: this.#options.database,
      campaignId,
      outDir,
      title: record.spec.name,
      currency: record.spec.currency,
      expected: record.spec.steps
        .map((step) => ({ campaignId, stepId: step.id, platform: resolvePlatform(step.platform) }))
        .filter((s) => (PLATFORM_METRIC_MAPPINGS[s.platform]?.sources.length ?? 0) > 0),
    });
  }
}
