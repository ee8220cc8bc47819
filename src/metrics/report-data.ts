/**
 * @module
 * `buildReportData`: the figures a campaign report shows, from its daily metrics — series
 * per platform and day, funnels, KPIs per channel and per step (variant) with confidence
 * intervals, totals, and the days each platform is missing. Pure.
 */
import type { Platform } from '../spec/platforms.js';
import { totalOf, type DailyMetrics } from './daily-metrics.js';
import { computeKpis, computeKpisAcross, type KpiName, type KpiSet } from './kpi-calculator.js';
import type { MetricValues } from './metric-fields.js';

/** One point of a per-platform daily series; `value` undefined on a missing day. */
export interface SeriesPoint {
  readonly day: string;
  readonly platform: Platform;
  readonly value: number | undefined;
}

/** One stage of a funnel. */
export interface FunnelStage {
  readonly funnel: 'Ads & social' | 'Email & SMS';
  readonly stage: string;
  readonly order: number;
  readonly value: number;
}

/** One KPI of one group (a platform or a step). */
export interface KpiPoint {
  readonly group: string;
  readonly kpi: KpiName;
  readonly value: number;
  readonly low?: number;
  readonly high?: number;
}

/** Everything a report draws. */
export interface ReportData {
  readonly campaignId: string;
  readonly currency: string;
  readonly from: string;
  readonly to: string;
  readonly platforms: readonly Platform[];
  readonly steps: readonly string[];
  readonly spend: readonly SeriesPoint[];
  readonly conversions: readonly SeriesPoint[];
  readonly funnel: readonly FunnelStage[];
  readonly kpisByPlatform: readonly KpiPoint[];
  readonly kpisByStep: readonly KpiPoint[];
  readonly totals: MetricValues;
  readonly kpis: KpiSet;
  readonly totalsByPlatform: Readonly<Partial<Record<Platform, MetricValues>>>;
  /** Days without data (or with fields missing), per platform. */
  readonly gaps: readonly {
    platform: Platform;
    stepId: string;
    day: string;
    status: string;
    missing: readonly string[];
  }[];
}

/** Rate KPIs compared across channels and variants. */
export const COMPARED_KPIS: readonly KpiName[] = [
  'ctr',
  'conversion_rate',
  'open_rate',
  'click_rate',
];

/** Builds the report's figures from daily rows of one campaign. */
export function buildReportData(
  campaignId: string,
  currency: string,
  rows: readonly DailyMetrics[],
): ReportData {
  const days = rows.map((r) => r.day).sort();
  const platforms = [...new Set(rows.map((r) => r.platform))].sort();
  const steps = [...new Set(rows.map((r) => r.stepId))].sort();
  const perPlatformDay = new Map<string, DailyMetrics[]>();
  for (const row of rows) {
    const key = `${row.platform}|${row.day}`;
    perPlatformDay.set(key, [...(perPlatformDay.get(key) ?? []), row]);
  }
  const series = (field: 'spend' | 'conversions'): SeriesPoint[] => {
    const out: SeriesPoint[] = [];
    for (const [key, list] of [...perPlatformDay].sort(([a], [b]) => a.localeCompare(b))) {
      const [platform, day] = key.split('|') as [Platform, string];
      const present = list.filter((r) => r.values[field] !== undefined);
      if (!list.some((r) => r.status !== 'missing') && field === 'spend') {
        out.push({ day, platform, value: undefined });
        continue;
      }
      if (present.length === 0) continue;
      out.push({ day, platform, value: present.reduce((s, r) => s + r.values[field]!, 0) });
    }
    return out;
  };
  const totalsByPlatform: Partial<Record<Platform, MetricValues>> = {};
  for (const platform of platforms) {
    totalsByPlatform[platform] = totalOf(rows.filter((r) => r.platform === platform));
  }
  const totals = totalOf(rows);
  const kpiPoints = (group: string, values: MetricValues): KpiPoint[] => {
    const kpis = computeKpis(values);
    return COMPARED_KPIS.flatMap((name) => {
      const kpi = kpis[name];
      if (kpi.value === undefined) return [];
      return [
        {
          group,
          kpi: name,
          value: kpi.value,
          ...(kpi.interval ? { low: kpi.interval.low, high: kpi.interval.high } : {}),
        },
      ];
    });
  };
  return {
    campaignId,
    currency,
    from: days[0] ?? '',
    to: days.at(-1) ?? '',
    platforms,
    steps,
    spend: series('spend'),
    conversions: series('conversions'),
    funnel: funnelOf(totals),
    kpisByPlatform: platforms.flatMap((p) => kpiPoints(p, totalsByPlatform[p] ?? {})),
    kpisByStep: steps.flatMap((s) => kpiPoints(s, totalOf(rows.filter((r) => r.stepId === s)))),
    totals,
    // Rates over all channels from the counts of the channels that have both sides of each.
    kpis: computeKpisAcross(platforms.map((p) => totalsByPlatform[p] ?? {})),
    totalsByPlatform,
    gaps: rows
      .filter((r) => r.status === 'missing' || r.status === 'partial')
      .map((r) => ({
        platform: r.platform,
        stepId: r.stepId,
        day: r.day,
        status: r.status,
        missing: r.missing,
      })),
  };
}

function funnelOf(totals: MetricValues): FunnelStage[] {
  const stages: FunnelStage[] = [];
  const add = (funnel: FunnelStage['funnel'], stage: string, value: number | undefined): void => {
    if (value !== undefined) stages.push({ funnel, stage, order: stages.length, value });
  };
  add('Ads & social', 'Impressions', totals.impressions);
  add('Ads & social', 'Clicks', totals.clicks);
  add('Ads & social', 'Conversions', totals.conversions);
  add('Email & SMS', 'Sends', totals.sends);
  add('Email & SMS', 'Deliveries', totals.deliveries);
  add('Email & SMS', 'Unique opens', totals.unique_opens);
  add('Email & SMS', 'Unique clicks', totals.unique_clicks);
  return stages;
}
