/**
 * @module
 * `herald/metrics`: collecting platforms' metrics, KPIs, rules over them and reports with
 * charts (this entry loads vega and vega-lite).
 */
export { CampaignMetrics } from './actors/campaign-metrics.js';
export { collectMetrics } from './metrics/metrics-collector.js';
export { computeKpis } from './metrics/kpi-calculator.js';
export { writeCampaignReport } from './metrics/campaign-report.js';
export { openMetricsDatabase } from './metrics/metrics-database.js';
export { RuleEngine } from './metrics/rule-engine.js';
export type { ActionChange, AutomaticAction } from './metrics/automatic-action.js';
export type { BanditSettings } from './metrics/budget-shift.js';
export type {
  BudgetChange,
  EffectOutcome,
  Resend,
  RuleEffects,
  RuleNotification,
} from './metrics/rule-effects.js';
export type { CampaignMetricsOptions, CollectionSummary } from './actors/campaign-metrics.js';
export type { CampaignReport, CampaignReportOptions } from './metrics/campaign-report.js';
export type { ChartSpec } from './metrics/chart-specs.js';
export type {
  CollectOptions,
  CollectionError,
  CollectionEvent,
  CollectionTarget,
} from './metrics/metrics-collector.js';
export type { ConfidenceInterval } from './metrics/wilson-interval.js';
export type { CurrencyRates } from './metrics/currency-rates.js';
export type { DailyMetrics, ExpectedSeries } from './metrics/daily-metrics.js';
export type { DayStatus, MetricField, MetricValues } from './metrics/metric-fields.js';
export type { FunnelStage, KpiPoint, ReportData, SeriesPoint } from './metrics/report-data.js';
export type { Kpi, KpiName, KpiSet } from './metrics/kpi-calculator.js';
export type { MetricRecord } from './metrics/normalise-metrics.js';
export type { MetricsDatabase, MetricsQuery } from './metrics/metrics-database.js';
export type { RenderedChart } from './metrics/report-documents.js';
export type { RuleEngineOptions, RuleEvaluation } from './metrics/rule-engine.js';
