/**
 * @module
 * `herald report <campaign>`: writes the campaign's HTML report and Markdown summary, with
 * charts as SVG, from the metrics collected into the store file.
 */
import { dirname, resolve } from 'node:path';
import { resolvePlatform } from '../connectors/connector-registry.js';
import { HeraldError } from '../errors.js';
import { writeCampaignReport } from '../metrics/campaign-report.js';
import { openMetricsDatabase } from '../metrics/metrics-database.js';
import { PLATFORM_METRIC_MAPPINGS } from '../metrics/platform-metric-mappings.js';
import { checkCampaignId } from '../spec/campaign-id.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import type { Command } from './cli-io.js';
import { parseCliArgs, storePath } from './cli-options.js';

const USAGE =
  'herald report <campaign> [--store FILE] [--out DIR] [--from YYYY-MM-DD] [--to YYYY-MM-DD]';

/**
 * `herald report <campaign>`: writes `report.html`, `report.md` and `charts/*.svg` into
 * `--out` (default `reports/<campaign>` beside the store file); prints where.
 * @example
 * await reportCommand(['launch', '--out', 'out'], io); // 0
 */
export const reportCommand: Command = async (args, io) => {
  const { values, positionals } = parseCliArgs(
    args,
    {
      store: { type: 'string' },
      out: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
    },
    USAGE,
  );
  const campaignId = positionals[0];
  if (campaignId === undefined) {
    throw new HeraldError('bad_arguments', `name the campaign to report on\nusage: ${USAGE}`);
  }
  checkCampaignId(campaignId, 'the campaign');
  const path = storePath(values.store, io);
  const store = openSqliteStore(path);
  const database = openMetricsDatabase(path);
  try {
    const record = await store.getCampaign(campaignId);
    if (!record) {
      io.stderr.write(`no campaign "${campaignId}" in ${path}; see: herald status\n`);
      return 1;
    }
    const outDir =
      values.out === undefined
        ? resolve(dirname(path), 'reports', campaignId)
        : resolve(io.cwd ?? process.cwd(), values.out);
    const report = await writeCampaignReport({
      database,
      campaignId,
      outDir,
      title: record.spec.name,
      currency: record.spec.currency,
      expected: record.spec.steps
        .map((step) => ({ campaignId, stepId: step.id, platform: resolvePlatform(step.platform) }))
        .filter((s) => (PLATFORM_METRIC_MAPPINGS[s.platform]?.sources.length ?? 0) > 0),
      ...(values.from ? { from: values.from } : {}),
      ...(values.to ? { to: values.to } : {}),
    });
    if (report.data.platforms.length === 0 || report.data.from === '') {
      io.stdout.write(`No metrics collected yet for ${campaignId}; the report is empty.\n`);
    }
    io.stdout.write(
      `Wrote ${report.htmlPath}\nWrote ${report.markdownPath} (${String(report.chartPaths.length)} chart(s) in ${resolve(outDir, 'charts')})\n`,
    );
    return 0;
  } finally {
    database.close();
    await store.close();
  }
};
