/**
 * @module
 * `normaliseRow`: one platform row (its names, units, currency and reporting zone) → one
 * {@link MetricRecord} in the normalised model (counts as numbers, money in the campaign
 * currency, the day in the campaign zone), with the fields the platform should have reported
 * but did not listed as missing. Pure.
 */
import type { MetricsRow } from '../connectors/connector.js';
import type { Issue, Result } from '../errors.js';
import type { Platform } from '../spec/platforms.js';
import { convertMoney, minorUnitFactor, type CurrencyRates } from './currency-rates.js';
import { METRIC_FIELDS, type MetricField, type MetricValues } from './metric-fields.js';
import {
  expectedFields,
  PLATFORM_METRIC_MAPPINGS,
  type MetricSource,
  type PlatformMetricMapping,
} from './platform-metric-mappings.js';
import { addDays, dayAt, parseReportingDate, toCampaignDay } from './reporting-day.js';

/** One day of one platform entity's metrics for one campaign step, normalised. */
export interface MetricRecord {
  readonly campaignId: string;
  readonly stepId: string;
  readonly platform: Platform;
  /** The platform's id of the ad, post or message; `""` for account-level rows. */
  readonly entity: string;
  /** Day in the campaign zone, `YYYY-MM-DD`. */
  readonly day: string;
  /** The platform's reporting day, in `sourceZone`. */
  readonly sourceDay: string;
  readonly sourceZone: string;
  /** Values; money in the campaign currency, major units. */
  readonly values: MetricValues;
  /** Fields the platform reports that this row lacked. */
  readonly missing: readonly MetricField[];
  /** The platform may still revise this day (it is within its settle window). */
  readonly provisional: boolean;
  /** When the row was fetched, epoch ms: later fetches of the same day replace it. */
  readonly fetchedAt: number;
  /** What was converted or dropped and why, in plain English. */
  readonly notes: readonly string[];
}

/** Who the row belongs to and how to convert it. */
export interface NormaliseContext {
  readonly campaignId: string;
  readonly stepId: string;
  readonly platform: Platform;
  readonly campaignCurrency: string;
  readonly campaignZone: string;
  readonly rates: CurrencyRates;
  /** Fetch time, epoch ms. */
  readonly fetchedAt: number;
  /** Overrides the platform's table (tests, new platforms). @default PLATFORM_METRIC_MAPPINGS[platform] */
  readonly mapping?: PlatformMetricMapping;
}

/**
 * Normalises one platform row; fails (as a value) when its date cannot be read or the
 * platform has no mapping.
 * @example
 * normaliseRow({ date: '2026-03-01', metrics: { costMicros: '2500000' }, currency: 'USD' }, ctx);
 * // values.spend === 2.5 (in the campaign currency)
 */
export function normaliseRow(row: MetricsRow, context: NormaliseContext): Result<MetricRecord> {
  const mapping = context.mapping ?? PLATFORM_METRIC_MAPPINGS[context.platform];
  const issues: Issue[] = [];
  if (!mapping) {
    issues.push({
      code: 'unknown_platform',
      path: ['platform'],
      message: `no metric mapping for ${context.platform}`,
      suggestions: ['add a row to PLATFORM_METRIC_MAPPINGS'],
    });
  }
  const sourceDay = parseReportingDate(row.date);
  if (!sourceDay) {
    issues.push({
      code: 'invalid_date',
      path: ['date'],
      message: `"${row.date}" is not a date (expected YYYY-MM-DD or YYYYMMDD)`,
    });
  }
  if (!mapping || !sourceDay) return { success: false, error: issues };

  const notes: string[] = [];
  const rowCurrency = row.currency ?? context.campaignCurrency;
  const sourceZone = row.timeZone ?? mapping.defaultZone ?? 'UTC';
  const values: MetricValues = {};
  const read = (source: MetricSource): number | undefined => {
    for (const key of source.keys) {
      const raw = row.metrics[key];
      if (raw === undefined || raw === null || raw === '') continue;
      const value = typeof raw === 'number' ? raw : Number(raw.replace(/,/g, ''));
      if (!Number.isFinite(value)) {
        notes.push(`${key} = "${String(raw)}" is not a number; treated as missing`);
        continue;
      }
      return toUnit(value, key, source);
    }
    return undefined;
  };
  const toUnit = (value: number, key: string, source: MetricSource): number | undefined => {
    switch (source.unit) {
      case 'count':
      case 'percent':
      case 'ratio':
        return value;
      case 'money':
        return money(value, key);
      case 'money_micros':
        return money(value / 1_000_000, key);
      case 'money_minor':
        return money(value / minorUnitFactor(rowCurrency), key);
      case 'money_negative':
        return money(Math.abs(value), key);
    }
  };
  const money = (amount: number, key: string): number | undefined => {
    const converted = convertMoney(amount, rowCurrency, context.campaignCurrency, context.rates);
    if (converted === undefined) {
      notes.push(
        `${key}: no rate from ${rowCurrency} to ${context.campaignCurrency}; treated as missing`,
      );
      return undefined;
    }
    return Math.round(converted * 1_000_000) / 1_000_000;
  };

  const plan = planOf(mapping);
  for (const { field, direct, parts } of plan.fields) {
    let value: number | undefined;
    for (const source of direct) {
      value = read(source);
      if (value !== undefined) break;
    }
    if (value === undefined) {
      for (const source of parts) {
        const partValue = read(source);
        if (partValue !== undefined) value = (value ?? 0) + partValue;
      }
    }
    if (value !== undefined) values[field] = value;
  }
  applyDerived(mapping, values);
  applyRates(plan.rates, values, read, notes);
  applyDerived(mapping, values);

  const missing = plan.expected.filter((field) => values[field] === undefined);
  const today = dayAt(context.fetchedAt, sourceZone);
  const provisional = sourceDay >= addDays(today, -((mapping.settleDays ?? 1) - 1));
  return {
    success: true,
    data: {
      campaignId: context.campaignId,
      stepId: context.stepId,
      platform: context.platform,
      entity: row.entity ?? '',
      day: toCampaignDay(sourceDay, sourceZone, context.campaignZone),
      sourceDay,
      sourceZone,
      values,
      missing,
      provisional,
      fetchedAt: context.fetchedAt,
      notes,
    },
  };
}

/** A mapping's sources sorted by field and role, worked out once per mapping. */
interface MappingPlan {
  readonly fields: readonly {
    readonly field: MetricField;
    readonly direct: readonly MetricSource[];
    readonly parts: readonly MetricSource[];
  }[];
  readonly rates: readonly MetricSource[];
  readonly expected: readonly MetricField[];
}

const plans = new WeakMap<PlatformMetricMapping, MappingPlan>();

function planOf(mapping: PlatformMetricMapping): MappingPlan {
  let plan = plans.get(mapping);
  if (plan === undefined) {
    plan = {
      fields: METRIC_FIELDS.map((field) => {
        const sources = mapping.sources.filter((s) => s.field === field);
        return {
          field,
          direct: sources.filter((s) => (s.role ?? 'direct') === 'direct'),
          parts: sources.filter((s) => s.role === 'part'),
        };
      }).filter((f) => f.direct.length + f.parts.length > 0),
      rates: mapping.sources.filter((s) => s.role === 'rate' && s.of !== undefined),
      expected: expectedFields(mapping),
    };
    plans.set(mapping, plan);
  }
  return plan;
}

function applyDerived(mapping: PlatformMetricMapping, values: MetricValues): void {
  for (const derived of mapping.derived ?? []) {
    const [a, b] = derived.from;
    const left = values[a];
    const right = values[b];
    if (values[derived.field] === undefined && left !== undefined && right !== undefined) {
      values[derived.field] = Math.max(0, left - right);
    }
  }
}

/** Rates fill fields no count gave; passes repeat so a rate of a rate-filled field resolves. */
function applyRates(
  rates: readonly MetricSource[],
  values: MetricValues,
  read: (source: MetricSource) => number | undefined,
  notes: string[],
): void {
  for (let pass = 0; pass < rates.length; pass++) {
    let changed = false;
    for (const source of rates) {
      const denominator = values[source.of!];
      if (values[source.field] !== undefined || denominator === undefined) continue;
      const rate = read(source);
      if (rate === undefined) continue;
      const fraction = source.unit === 'percent' ? rate / 100 : rate;
      const money = source.field === 'spend' || source.field === 'revenue';
      const value = denominator * fraction;
      values[source.field] = money ? Math.round(value * 1_000_000) / 1_000_000 : Math.round(value);
      notes.push(
        `${source.field} derived from ${source.keys[0] ?? 'a rate'} (${source.unit}) × ${source.of!}`,
      );
      changed = true;
    }
    if (!changed) return;
  }
}
