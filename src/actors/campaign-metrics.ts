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
import { computeKpisAcross } from '../metrics/kpi-calculator.js';
import type { CurrencyRates } from '../metrics/currency-rates.js';
import { collectMetrics, type CollectionEvent } from '../metrics/metrics-collector.js';
import type { MetricsDatabase } from '../metrics/metrics-database.js';
import { PLATFORM_METRIC_MAPPINGS } from '../metrics/platform-metric-mappings.js';
import { RuleEngine, type RuleEvaluation } from '../metrics/rule-engine.js';
import type { Clock } from '../schedule/clock.js';
import type { HeraldStore } from '../store/herald-store.js';
import { HeraldError } from '../errors.js';
import type { CampaignSystem } from './campaign-system.js';
import { resolvePlatform } from '../connectors/connector-registry.js';
import type { Recipient } from '../connectors/connector.js';
import type { AudienceResolver } from './audience-resolver.js';
import { complianceGate } from './compliance-gate.js';
import type { DeliveryGate } from './delivery-gate.js';
import { monitoredRule, windowOpensAt } from '../metrics/rule-windows.js';
import type { CampaignSpec } from '../spec/campaign-schema.js';

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
  /**
   * The campaign system's audience: a resend goes to the step's audience members the platform
   * saw as non-openers (by id, never by address). @default none: a resend sends nothing and says so
   */
  readonly audience?: AudienceResolver;
  /** The check a resend passes, as every batch does. @default the compliance gate over `audience` */
  readonly gate?: DeliveryGate;
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
  /** When each campaign's steps finished (and, under the empty id, it was created), refreshed before evaluating. */
  readonly #finished = new Map<string, Map<string, number>>();

  constructor(options: CampaignMetricsOptions) {
    this.#options = options;
    const specOf = async (id: string) => (await options.store.getCampaign(id))!.spec;
    this.engine = new RuleEngine({
      database: options.database,
      clock: options.clock,
      // A rule's window counts from when its steps ran; a step that has not run yet is not judged.
      startedAt: (campaignId, condition) => this.#opensAt(campaignId, condition),
      effects: createCampaignRuleEffects({
        system: options.system,
        connectors: options.connectors,
        caller: options.system.caller,
        specOf,
        launchedAs: async (id, stepId) => {
          const step = (await options.system.report(id)).steps.find((s) => s.id === stepId);
          return step?.status === 'done' ? step.result?.outputs.id : undefined;
        },
        recipientsOf: (id, stepId, who) => this.#recipientsOf(id, stepId, who),
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
    // Per entity: each step is collected by the platform ids of what it created, and a step
    // that has not run (or was cancelled, skipped or failed before acting) contributes nothing.
    const results = new Map(
      (await this.#options.system.report(campaignId)).steps.flatMap((step) =>
        step.result && step.result.accepted > 0 ? [[step.id, step.result.outputs] as const] : [],
      ),
    );
    // Nothing dated before a step first called its platform.
    const firstCall = new Map<string, number>();
    for (const entry of await store.journal(campaignId)) {
      firstCall.set(
        entry.stepId,
        Math.min(firstCall.get(entry.stepId) ?? Infinity, entry.intentAt),
      );
    }
    const targets = campaignTargets(
      campaignId,
      { ...record.spec, steps: record.spec.steps.filter((s) => results.has(s.id)) },
      range,
      (stepId) => {
        const outputs = results.get(stepId);
        return outputs?.metricsEntity ?? outputs?.id;
      },
    ).map((target) => {
      const first = firstCall.get(target.stepId);
      const from =
        first === undefined ? target.from : DateTime.fromMillis(first, { zone }).toISODate()!;
      return from > target.from ? { ...target, from } : target;
    });
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
    await this.#refresh(campaignId, record.createdAt);
    return this.engine.evaluate(campaignId, record.spec);
  }

  /**
   * While the campaign runs (and monitors), collects and evaluates every `everyMs` of clock
   * time and at the moment each rule window closes; returns a function that stops watching (it
   * also stops by itself once the campaign has ended).
   */
  watch(campaignId: string): () => void {
    const controller = new AbortController();
    const every = this.#options.everyMs ?? 6 * 3_600_000;
    const loop = async () => {
      const { clock, system, store } = this.#options;
      while (!controller.signal.aborted && system.running.includes(campaignId)) {
        const record = (await store.getCampaign(campaignId))!;
        await this.#refresh(campaignId, record.createdAt);
        const closes = this.#windowCloses(campaignId, record.spec).filter((t) => t > clock.now());
        await clock.sleepUntil(Math.min(clock.now() + every, ...closes), controller.signal);
        // Tracked, so simulated time does not move on while a rule is judged and acts.
        await clock.track(
          (async () => {
            await this.collect(campaignId);
            await this.evaluate(campaignId);
          })(),
        );
      }
    };
    loop().catch((error: unknown) => {
      if (!controller.signal.aborted) this.errors.push(error);
    });
    return () => {
      controller.abort();
    };
  }

  /** Remembers when the campaign was created and each of its steps finished. */
  async #refresh(campaignId: string, createdAt: number): Promise<void> {
    const finished = new Map<string, number>([['', createdAt]]);
    for (const step of (await this.#options.system.report(campaignId)).steps) {
      if (step.result) finished.set(step.id, Date.parse(step.result.finishedAt));
    }
    this.#finished.set(campaignId, finished);
  }

  #opensAt(campaignId: string, condition: CampaignSpec['conditions'][number]): number {
    const finished = this.#finished.get(campaignId);
    if (!finished) return LATEST_INSTANT;
    return (
      windowOpensAt(monitoredRule(condition), finished.get('')!, (step) => finished.get(step)) ??
      LATEST_INSTANT
    );
  }

  /** When each rule's window closes, for the rules whose window has opened. */
  #windowCloses(campaignId: string, spec: CampaignSpec): number[] {
    return spec.conditions.flatMap((condition) => {
      const opens = this.#opensAt(campaignId, condition);
      return opens === LATEST_INSTANT ? [] : [opens + monitoredRule(condition).windowMs];
    });
  }

  /**
   * Who a resend reaches: the step's recipients the platform saw delivered and not opened (or
   * not clicked), minus anyone who bounced or unsubscribed since.
   */
  async #recipientsOf(
    campaignId: string,
    stepId: string,
    who: 'non_openers' | 'non_clickers',
  ): Promise<readonly Recipient[]> {
    const record = (await this.#options.store.getCampaign(campaignId))!;
    const step = record.spec.steps.find((s) => s.id === stepId);
    const result = (await this.#options.system.report(campaignId)).steps.find(
      (s) => s.id === stepId,
    )?.result;
    const entity = result?.outputs.metricsEntity;
    if (!step || entity === undefined) return [];
    const connector = this.#options.connectors.get(resolvePlatform(step.platform));
    if (!connector.fetchEngagement) return [];
    const report = await connector.fetchEngagement(entity);
    if (!report.complete) {
      throw new HeraldError(
        'engagement_incomplete',
        `${connector.platform} reported only part of who received step ${stepId}; a resend to ${who.replace('_', '-')} would miss people`,
      );
    }
    const left = new Set(
      report.recipients
        .filter(
          (r) =>
            r.delivered &&
            !r.bounced &&
            !r.unsubscribed &&
            !(who === 'non_openers' ? r.opened : r.clicked),
        )
        .map((r) => r.address.toLowerCase()),
    );
    const { audience, clock } = this.#options;
    const wanted = step.audience ?? record.spec.audience;
    const members =
      audience && wanted
        ? await audience.resolve(wanted, { spec: record.spec, step, now: clock.now() })
        : [];
    const chosen = members.filter((m) => {
      const address = step.action === 'sms' ? m.phone : m.email;
      return address !== undefined && left.has(address.toLowerCase());
    });
    const gate =
      this.#options.gate ??
      complianceGate(audience?.subjectOf?.bind(audience) ?? (() => undefined));
    return gate.check(chosen, { spec: record.spec, step, at: clock.now() }).allowed;
  }

  /**
   * A few lines a `report` step posts: the campaign's totals and main rates so far, with what
   * could not be collected.
   */
  async summary(campaignId: string): Promise<string> {
    const collected = await this.collect(campaignId);
    const record = (await this.#options.store.getCampaign(campaignId))!;
    const totals: Record<string, number> = {};
    const byPlatform = new Map<string, Record<string, number>>();
    for (const row of this.#options.database.records({ campaignId })) {
      const channel = byPlatform.get(row.platform) ?? {};
      byPlatform.set(row.platform, channel);
      for (const [field, value] of Object.entries(row.values)) {
        if (typeof value !== 'number') continue;
        totals[field] = (totals[field] ?? 0) + value;
        channel[field] = (channel[field] ?? 0) + value;
      }
    }
    const kpis = computeKpisAcross([...byPlatform.values()]);
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
