/**
 * @module
 * `writeCampaignReport`: reads a campaign's metrics and automatic actions, draws the charts
 * as SVG and writes a self-contained HTML report and a Markdown summary (with the SVGs beside
 * it) into a folder.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExpectedSeries } from './daily-metrics.js';
import { reportCharts } from './chart-specs.js';
import type { MetricsDatabase } from './metrics-database.js';
import { renderChartSvg } from './render-chart.js';
import { buildReportData, type ReportData } from './report-data.js';
import { reportHtml, reportMarkdown, type RenderedChart } from './report-documents.js';

/** Options of {@link writeCampaignReport}. */
export interface CampaignReportOptions {
  readonly database: MetricsDatabase;
  readonly campaignId: string;
  /** Folder written to (created if needed). */
  readonly outDir: string;
  /** @default the campaign id */
  readonly title?: string;
  /** Campaign currency, for labels. @default "USD" */
  readonly currency?: string;
  /** First day shown. @default the first day with data */
  readonly from?: string;
  /** Last day shown. @default the last day with data */
  readonly to?: string;
  /** Series that should have data every day (so days without any are shown as missing). @default those with data */
  readonly expected?: readonly ExpectedSeries[];
  /** Generation time, epoch ms. @default Date.now() */
  readonly now?: number;
}

/** What was written. */
export interface CampaignReport {
  readonly htmlPath: string;
  readonly markdownPath: string;
  readonly chartPaths: readonly string[];
  readonly html: string;
  readonly markdown: string;
  readonly data: ReportData;
  readonly charts: readonly RenderedChart[];
  /** What Vega or Vega-Lite warned about while drawing. */
  readonly warnings: readonly string[];
}

/**
 * Writes `<outDir>/report.html`, `<outDir>/report.md` and `<outDir>/charts/*.svg`.
 * @example
 * const report = await writeCampaignReport({ database, campaignId: 'launch', outDir: 'reports/launch' });
 */
export async function writeCampaignReport(options: CampaignReportOptions): Promise<CampaignReport> {
  const rows = options.database.daily(
    {
      campaignId: options.campaignId,
      ...(options.from ? { from: options.from } : {}),
      ...(options.to ? { to: options.to } : {}),
    },
    options.expected,
  );
  const currency = options.currency ?? 'USD';
  const data = buildReportData(options.campaignId, currency, rows);
  const charts: RenderedChart[] = [];
  const warnings: string[] = [];
  for (const chart of reportCharts(data)) {
    const svg = await renderChartSvg(chart.spec, (message) =>
      warnings.push(`${chart.id}: ${message}`),
    );
    charts.push({ chart, svg, file: `${chart.id}.svg` });
  }
  const header = {
    title: options.title ?? `Campaign ${options.campaignId}`,
    generatedAt: new Date(options.now ?? Date.now()).toISOString(),
    actions: options.database.actions(options.campaignId),
  };
  const chartDir = join(options.outDir, 'charts');
  await mkdir(chartDir, { recursive: true });
  const chartPaths: string[] = [];
  for (const chart of charts) {
    const path = join(chartDir, chart.file);
    await writeFile(path, chart.svg);
    chartPaths.push(path);
  }
  const html = reportHtml(data, charts, header);
  const markdown = reportMarkdown(data, charts, header, 'charts');
  const htmlPath = join(options.outDir, 'report.html');
  const markdownPath = join(options.outDir, 'report.md');
  await writeFile(htmlPath, html);
  await writeFile(markdownPath, markdown);
  return { htmlPath, markdownPath, chartPaths, html, markdown, data, charts, warnings };
}
