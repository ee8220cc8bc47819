import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeCampaignReport } from '../../src/metrics/campaign-report.js';
import { openMetricsDatabase, type MetricsDatabase } from '../../src/metrics/metrics-database.js';
import { renderChartSvg } from '../../src/metrics/render-chart.js';
import { seedCampaign } from './report-fixtures.js';

let database: MetricsDatabase | undefined;
let dir: string | undefined;
afterEach(async () => {
  database?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('writeCampaignReport', () => {
  it('writes HTML with SVG charts of the right series, Markdown and chart files', async () => {
    database = openMetricsDatabase(':memory:');
    seedCampaign(database);
    dir = await mkdtemp(join(tmpdir(), 'herald-report-'));
    const report = await writeCampaignReport({
      database,
      campaignId: 'c1',
      outDir: dir,
      title: 'Spring <launch>',
      currency: 'USD',
      now: Date.parse('2026-03-08T00:00:00Z'),
    });
    expect(report.warnings).toEqual([]);
    const html = await readFile(report.htmlPath, 'utf8');
    expect(html).toBe(report.html);
    expect(html).toContain('<title>Spring &#60;launch&#62;</title>');
    const figure = (id: string): string => {
      const match = new RegExp(
        `<figure id="chart-${id}" data-series="([^"]*)">([\\s\\S]*?)</figure>`,
      ).exec(html);
      expect(match, `chart ${id}`).not.toBeNull();
      return match![0];
    };
    const spend = figure('spend');
    expect(spend).toContain('data-series="google_ads,meta_ads"');
    expect(spend).toMatch(/<svg[^>]*class="marks"/);
    // The legend names each platform; each series is drawn as a line path.
    expect(spend).toContain('>google_ads</text>');
    expect(spend).toContain('>meta_ads</text>');
    expect(
      spend.match(/role-mark[^"]*"[^>]*role-line|aria-roledescription="line mark"/g)?.length ?? 0,
    ).toBeGreaterThan(0);
    expect(figure('conversions')).toContain('>meta_ads</text>');
    const funnel = figure('funnel');
    for (const stage of [
      'Impressions',
      'Clicks',
      'Conversions',
      'Sends',
      'Deliveries',
      'Unique opens',
    ]) {
      expect(funnel).toContain(`>${stage}</text>`);
    }
    const channels = figure('kpi-channels');
    expect(channels).toContain('>sendgrid</text>');
    expect(channels).toContain('>CTR</text>');
    expect(channels).toContain('>Open rate</text>');
    expect(figure('kpi-variants')).toContain('>ad-b</text>');
    // Meta had no data on the 3rd and 4th: reported as missing, not zero.
    expect(html).toContain('<td>2026-03-03</td><td>meta_ads</td><td>meta</td><td>missing</td>');
    expect(html).toContain('Paused step ad-b because the CPC');
    expect(html).toContain('Reverted: resumed step ad-b.');
    expect(html).toMatch(/CTR<\/th><td>\d+\.\d\d% \(95% CI/);
    expect(html).not.toContain('<script');

    const markdown = await readFile(report.markdownPath, 'utf8');
    expect(markdown).toContain('![Spend per day by platform (USD)](charts/spend.svg)');
    expect(markdown).toContain('- 2026-03-04 meta_ads (meta): missing');
    expect(markdown).toContain('| ROAS |');
    expect(report.chartPaths.map((p) => p.slice(dir!.length))).toEqual([
      '/charts/spend.svg',
      '/charts/conversions.svg',
      '/charts/funnel.svg',
      '/charts/kpi-channels.svg',
      '/charts/kpi-variants.svg',
    ]);
    expect(await readFile(report.chartPaths[0]!, 'utf8')).toMatch(/^<svg/);
  });

  it('writes an empty report when nothing was collected', async () => {
    database = openMetricsDatabase(':memory:');
    dir = await mkdtemp(join(tmpdir(), 'herald-report-'));
    const report = await writeCampaignReport({ database, campaignId: 'none', outDir: dir });
    expect(report.charts).toEqual([]);
    expect(report.html).toContain('No missing days.');
    expect(report.markdown).toContain('None.');
  });

  it('renders a Vega-Lite spec to SVG without a browser', async () => {
    const svg = await renderChartSvg({
      data: { values: [{ a: 'x', b: 2 }] },
      mark: 'bar',
      encoding: { x: { field: 'a', type: 'nominal' }, y: { field: 'b', type: 'quantitative' } },
    });
    expect(svg.startsWith('<svg')).toBe(true);
  });
});
