import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { CampaignSystem } from '../../src/actors/campaign-system.js';
import { main } from '../../src/cli/main.js';
import { createConnectorRegistry } from '../../src/connectors/connector-registry.js';
import { openMetricsDatabase } from '../../src/metrics/metrics-database.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { seedCampaign } from '../metrics/report-fixtures.js';
import { specWith } from '../metrics/rule-fixtures.js';
import { captureIo } from './captured-io.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'herald-paths-'));
});

const capture = () => captureIo(dir);

const EXAMPLE = join(import.meta.dirname, '../../examples/launch.json');

/** Stores a campaign named `name` (with a week of metrics) as `c1` in the default store. */
async function storeCampaign(name: string): Promise<void> {
  const path = join(dir, '.herald/herald.db');
  const store = openSqliteStore(path);
  await store.saveCampaign({
    id: 'c1',
    spec: { ...specWith([]), name },
    status: 'completed',
    createdAt: 1,
    updatedAt: 1,
  });
  await store.close();
  const metrics = openMetricsDatabase(path);
  seedCampaign(metrics);
  metrics.close();
}

describe('campaign ids', () => {
  it.each(['../../etc', '../../../../tmp/x', 'a/b', '.hidden', 'x'.repeat(81), 'bell\u0007'])(
    'herald run --id %j is refused before anything runs',
    async (id) => {
      const cli = capture();
      expect(
        await main(['run', EXAMPLE, '--id', id, '--now', '2026-11-25T12:00:00Z'], cli.io),
      ).toBe(2);
      expect(cli.err()).toContain('--id');
      expect(cli.err()).toContain('[invalid_campaign_id]');
      expect(cli.out()).toBe('');
      expect(await readdir(dir)).toEqual([]);
    },
  );

  it('herald report refuses an id that would leave the reports folder', async () => {
    await storeCampaign('Spring launch');
    const cli = capture();
    expect(await main(['report', '../../etc'], cli.io)).toBe(2);
    expect(cli.err()).toContain('[invalid_campaign_id]');
  });

  it('the library refuses an unsafe id at launch', async () => {
    const store = openSqliteStore(':memory:');
    const system = new CampaignSystem({ store, connectors: createConnectorRegistry() });
    await expect(system.launch(specWith([]), { id: '../../etc' })).rejects.toMatchObject({
      issues: [{ code: 'invalid_campaign_id' }],
    });
    expect(await store.listCampaigns()).toEqual([]);
    await system.stop();
    await store.close();
  });
});

describe('names from campaign files', () => {
  it('stay text in report.md, which sits beside the store', async () => {
    await storeCampaign('Sale <script>alert(1)</script> [click](https://evil.test)');
    const cli = capture();
    expect(await main(['report', 'c1', '--from', '2026-03-01', '--to', '2026-03-07'], cli.io)).toBe(
      0,
    );
    const markdown = await readFile(join(dir, '.herald/reports/c1/report.md'), 'utf8');
    expect(markdown).not.toContain('<script>');
    expect(markdown.split('\n')[0]).toBe(
      '# Sale &lt;script&gt;alert(1)&lt;/script&gt; \\[click\\](https://evil.test)',
    );
    const html = await readFile(join(dir, '.herald/reports/c1/report.html'), 'utf8');
    expect(html).not.toContain('<script>alert');
  });

  it('never send a terminal escape sequence to the terminal', async () => {
    await storeCampaign('Sale\u001b[2J\u001b]0;pwned\u0007 now');
    const cli = capture();
    expect(await main(['status'], cli.io)).toBe(0);
    expect(cli.out()).toContain('Sale\\u001b[2J\\u001b]0;pwned\\u0007 now');
    expect(Array.from(cli.out()).filter((c) => c < ' ' && c !== '\n')).toEqual([]);
    expect(cli.out()).not.toContain('\u001b');
  });
});
