/**
 * @module
 * The report as documents: a self-contained HTML page (inline CSS and SVG charts, no script)
 * and a Markdown summary that links the same charts as SVG files. Pure string building.
 */
import type { AutomaticAction } from './automatic-action.js';
import type { ChartSpec } from './chart-specs.js';
import { KPI_NAMES, type Kpi } from './kpi-calculator.js';
import { formatMetric } from './metric-format.js';
import type { ReportData } from './report-data.js';

/** A chart drawn: its spec and SVG. */
export interface RenderedChart {
  readonly chart: ChartSpec;
  readonly svg: string;
  /** File name the Markdown links, e.g. `spend.svg`. */
  readonly file: string;
}

/** What a report document shows besides the data. */
export interface ReportHeader {
  readonly title: string;
  /** Generation time, ISO. */
  readonly generatedAt: string;
  readonly actions: readonly AutomaticAction[];
}

const escape = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => `&#${String(c.charCodeAt(0))};`);

const KPI_TITLES: Readonly<Record<string, string>> = {
  ctr: 'CTR',
  cpc: 'CPC',
  cpm: 'CPM',
  cpa: 'CPA',
  roas: 'ROAS',
  open_rate: 'Open rate',
  click_rate: 'Click rate',
  conversion_rate: 'Conversion rate',
  unsubscribe_rate: 'Unsubscribe rate',
  bounce_rate: 'Bounce rate',
  cost_per_result: 'Cost per result',
};

function kpiCell(kpi: Kpi, currency: string): string {
  if (kpi.value === undefined) return 'n/a';
  const value = formatMetric(kpi.name, kpi.value, currency);
  if (!kpi.interval || !Number.isFinite(kpi.interval.high)) return value;
  return `${value} (95% CI ${formatMetric(kpi.name, kpi.interval.low, currency)}–${formatMetric(kpi.name, kpi.interval.high, currency)})`;
}

function headline(data: ReportData): [string, string][] {
  const t = data.totals;
  const out: [string, string][] = [];
  if (t.spend !== undefined) out.push(['Spend', formatMetric('spend', t.spend, data.currency)]);
  if (t.conversions !== undefined)
    out.push(['Conversions', formatMetric('conversions', t.conversions, data.currency)]);
  if (t.revenue !== undefined)
    out.push(['Revenue', formatMetric('revenue', t.revenue, data.currency)]);
  if (data.kpis.roas.value !== undefined)
    out.push(['ROAS', formatMetric('roas', data.kpis.roas.value, data.currency)]);
  if (t.deliveries !== undefined)
    out.push(['Delivered', formatMetric('deliveries', t.deliveries, data.currency)]);
  if (data.kpis.open_rate.value !== undefined)
    out.push(['Open rate', formatMetric('open_rate', data.kpis.open_rate.value, data.currency)]);
  return out;
}

/** The self-contained HTML report. */
export function reportHtml(
  data: ReportData,
  charts: readonly RenderedChart[],
  header: ReportHeader,
): string {
  const kpiRows = KPI_NAMES.filter((n) => data.kpis[n].value !== undefined)
    .map(
      (n) =>
        `<tr><th>${KPI_TITLES[n] ?? n}</th><td>${escape(kpiCell(data.kpis[n], data.currency))}</td></tr>`,
    )
    .join('\n');
  const figures = charts
    .map(
      ({ chart, svg }) =>
        `<figure id="chart-${chart.id}" data-series="${escape(chart.series.join(','))}">\n${svg}\n<figcaption>${escape(chart.title)}</figcaption>\n</figure>`,
    )
    .join('\n');
  const gaps =
    data.gaps.length === 0
      ? '<p>No missing days.</p>'
      : `<table><tr><th>Day</th><th>Platform</th><th>Step</th><th>Status</th><th>Missing fields</th></tr>\n${data.gaps
          .map(
            (g) =>
              `<tr><td>${g.day}</td><td>${escape(g.platform)}</td><td>${escape(g.stepId)}</td><td>${g.status}</td><td>${escape(g.missing.join(', ') || 'all')}</td></tr>`,
          )
          .join('\n')}</table>`;
  const actions =
    header.actions.length === 0
      ? '<p>No automatic actions.</p>'
      : `<ul>\n${header.actions
          .map(
            (a) =>
              `<li><time>${new Date(a.at).toISOString()}</time> ${escape(a.explanation)}${a.status === 'done' ? '' : ` <strong>(${a.status})</strong>`}${a.revertExplanation ? ` <em>${escape(a.revertExplanation)}</em>` : ''}</li>`,
          )
          .join('\n')}\n</ul>`;
  const tiles = headline(data)
    .map(([label, value]) => `<div class="tile"><span>${label}</span><b>${escape(value)}</b></div>`)
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escape(header.title)}</title>
<style>
body{font-family:Helvetica,Arial,sans-serif;margin:2rem auto;max-width:960px;color:#222}
.tiles{display:flex;gap:1rem;flex-wrap:wrap}.tile{background:#f3f5f8;padding:.8rem 1rem;border-radius:6px}
.tile span{display:block;font-size:.8rem;color:#555}.tile b{font-size:1.3rem}
figure{margin:1.5rem 0}figcaption{color:#555;font-size:.9rem}
table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:.3rem .6rem;text-align:left}
</style>
</head>
<body>
<h1>${escape(header.title)}</h1>
<p>${data.from} to ${data.to} · ${data.platforms.map(escape).join(', ')} · money in ${data.currency} · generated ${header.generatedAt}</p>
<div class="tiles">${tiles}</div>
${figures}
<h2>KPIs</h2>
<table>
${kpiRows}
</table>
<h2>Automatic actions</h2>
${actions}
<h2>Missing data</h2>
${gaps}
</body>
</html>
`;
}

/** The Markdown summary; charts are linked as SVG files beside it. */
export function reportMarkdown(
  data: ReportData,
  charts: readonly RenderedChart[],
  header: ReportHeader,
  chartDir: string,
): string {
  const lines: string[] = [
    `# ${markdownText(header.title)}`,
    '',
    `${data.from} to ${data.to} · ${data.platforms.join(', ')} · money in ${data.currency}`,
    '',
    ...headline(data).map(([label, value]) => `- **${label}:** ${value}`),
    '',
    ...charts.flatMap(({ chart, file }) => [
      `![${markdownText(chart.title)}](${chartDir}/${file})`,
      '',
    ]),
    '## KPIs',
    '',
    '| KPI | Value |',
    '|---|---|',
    ...KPI_NAMES.filter((n) => data.kpis[n].value !== undefined).map(
      (n) => `| ${KPI_TITLES[n] ?? n} | ${kpiCell(data.kpis[n], data.currency)} |`,
    ),
    '',
    '## Automatic actions',
    '',
    ...(header.actions.length === 0
      ? ['None.']
      : header.actions.map(
          (a) =>
            `- ${new Date(a.at).toISOString()}: ${markdownText(a.explanation)}${a.revertExplanation ? ` _${markdownText(a.revertExplanation)}_` : ''}`,
        )),
    '',
    '## Missing data',
    '',
    ...(data.gaps.length === 0
      ? ['No missing days.']
      : data.gaps.map(
          (g) =>
            `- ${g.day} ${g.platform} (${markdownText(g.stepId)}): ${g.status}${g.missing.length ? `, missing ${g.missing.join(', ')}` : ''}`,
        )),
    '',
  ];
  return lines.join('\n');
}

/**
 * Text from a campaign (its name, explanations) made inert in Markdown: HTML characters as
 * entities (`<script>` stays text), line breaks as spaces, link and table syntax escaped.
 */
function markdownText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\r\n]+/g, ' ')
    .replace(/([\\`[\]|])/g, '\\$1');
}
