/**
 * @module
 * Vega-Lite specs of the report's charts: spend and conversions per platform over time, the
 * funnel, and KPI comparisons across channels and variants with their confidence intervals.
 * Pure data; `renderChartSvg` draws them.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { KpiPoint, ReportData, SeriesPoint } from './report-data.js';

/** A chart of the report: its id, title and spec, and the series it draws. */
export interface ChartSpec {
  readonly id: string;
  readonly title: string;
  readonly spec: TopLevelSpec;
  /** Names of the series drawn (platforms, steps, stages). */
  readonly series: readonly string[];
}

const KPI_LABELS: Readonly<Record<string, string>> = {
  ctr: 'CTR',
  conversion_rate: 'Conversion rate',
  open_rate: 'Open rate',
  click_rate: 'Click rate',
};

const base = {
  $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
  width: 560,
  height: 240,
  config: { font: 'Helvetica, Arial, sans-serif', view: { stroke: null } },
} as const;

/**
 * Points with a `segment` per run of days with data, so a line breaks at a missing day
 * instead of bridging it (or drawing it as zero).
 */
function segmented(points: readonly SeriesPoint[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const segment = new Map<string, number>();
  for (const p of [...points].sort((a, b) => a.day.localeCompare(b.day))) {
    const current = segment.get(p.platform) ?? 0;
    if (p.value === undefined) {
      segment.set(p.platform, current + 1);
      continue;
    }
    out.push({ ...p, segment: `${p.platform}#${String(current)}` });
  }
  return out;
}

function timeSeries(
  id: string,
  title: string,
  points: readonly SeriesPoint[],
  axis: string,
): ChartSpec {
  return {
    id,
    title,
    series: [...new Set(points.map((p) => p.platform))],
    spec: {
      ...base,
      title,
      description: title,
      data: { values: segmented(points) },
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'day', type: 'temporal', title: 'Day', timeUnit: 'yearmonthdate' },
        y: { field: 'value', type: 'quantitative', title: axis },
        color: { field: 'platform', type: 'nominal', title: 'Platform' },
        detail: { field: 'segment', type: 'nominal' },
        tooltip: [
          { field: 'platform', type: 'nominal' },
          { field: 'day', type: 'temporal' },
          { field: 'value', type: 'quantitative', format: ',.2f' },
        ],
      },
    },
  };
}

function kpiComparison(
  id: string,
  title: string,
  points: readonly KpiPoint[],
  groupTitle: string,
): ChartSpec {
  const values = points.map((p) => ({
    ...p,
    label: KPI_LABELS[p.kpi] ?? p.kpi,
    low: p.low ?? p.value,
    high: p.high ?? p.value,
  }));
  return {
    id,
    title,
    series: [...new Set(points.map((p) => p.group))],
    spec: {
      ...base,
      title,
      description: `${title}, with 95% Wilson intervals`,
      data: { values },
      encoding: {
        x: { field: 'label', type: 'nominal', title: null, axis: { labelAngle: 0 } },
        xOffset: { field: 'group', type: 'nominal' },
        color: { field: 'group', type: 'nominal', title: groupTitle },
      },
      layer: [
        {
          mark: { type: 'bar', opacity: 0.85 },
          encoding: {
            y: { field: 'value', type: 'quantitative', title: 'Rate', axis: { format: '.1%' } },
            tooltip: [
              { field: 'group', type: 'nominal', title: groupTitle },
              { field: 'label', type: 'nominal', title: 'KPI' },
              { field: 'value', type: 'quantitative', format: '.2%' },
              { field: 'low', type: 'quantitative', format: '.2%', title: '95% low' },
              { field: 'high', type: 'quantitative', format: '.2%', title: '95% high' },
            ],
          },
        },
        {
          mark: { type: 'rule', color: '#333' },
          encoding: {
            y: { field: 'low', type: 'quantitative' },
            y2: { field: 'high' },
          },
        },
      ],
    },
  };
}

/** The report's charts, in reading order; charts without data are left out. */
export function reportCharts(data: ReportData): ChartSpec[] {
  const charts: ChartSpec[] = [];
  if (data.spend.some((p) => p.value !== undefined)) {
    charts.push(
      timeSeries(
        'spend',
        `Spend per day by platform (${data.currency})`,
        data.spend,
        `Spend (${data.currency})`,
      ),
    );
  }
  if (data.conversions.length > 0) {
    charts.push(
      timeSeries('conversions', 'Conversions per day by platform', data.conversions, 'Conversions'),
    );
  }
  if (data.funnel.length > 0) {
    const funnels = [...new Set(data.funnel.map((s) => s.funnel))];
    const stage = { field: 'stage', type: 'nominal', sort: { field: 'order', op: 'min' } } as const;
    charts.push({
      id: 'funnel',
      title: 'Funnel',
      series: data.funnel.map((s) => s.stage),
      spec: {
        $schema: base.$schema,
        config: base.config,
        title: 'Funnel',
        description: 'Funnel: each stage as a bar, largest first',
        data: { values: data.funnel.map((s) => ({ ...s })) },
        vconcat: funnels.map((funnel) => ({
          title: funnel,
          width: 560,
          height: { step: 28 },
          transform: [{ filter: { field: 'funnel', equal: funnel } }],
          layer: [
            {
              mark: { type: 'bar', color: '#4c78a8' },
              encoding: {
                y: { ...stage, title: null },
                x: { field: 'value', type: 'quantitative', title: 'Count' },
              },
            },
            {
              mark: { type: 'text', align: 'left', dx: 4 },
              encoding: {
                y: stage,
                x: { field: 'value', type: 'quantitative' },
                text: { field: 'value', type: 'quantitative', format: ',.0f' },
              },
            },
          ],
        })),
      },
    });
  }
  if (data.kpisByPlatform.length > 0) {
    charts.push(kpiComparison('kpi-channels', 'KPIs by channel', data.kpisByPlatform, 'Platform'));
  }
  if (data.kpisByStep.length > 0 && data.steps.length > 1) {
    charts.push(kpiComparison('kpi-variants', 'KPIs by step and variant', data.kpisByStep, 'Step'));
  }
  return charts;
}
