import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reportCommand } from '../../src/cli/report-command.js';
import { openMetricsDatabase } from '../../src/metrics/metrics-database.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { seedCampaign } from '../metrics/report-fixtures.js';
import { specWith } from '../metrics/rule-fixtures.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'herald-report-cli-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: (s: string) => err.push(s) },
      cwd: dir,
      env: {},
    },
  };
}

describe('herald report', () => {
  it('writes the HTML report and Markdown summary of a campaign in the store', async () => {
    const path = join(dir, 'herald.db');
    const store = openSqliteStore(path);
    await store.saveCampaign({
      id: 'c1',
      spec: specWith([]),
      status: 'running',
      createdAt: 1,
      updatedAt: 1,
    });
    await store.close();
    const metrics = openMetricsDatabase(path);
    seedCampaign(metrics);
    metrics.close();
    const { io, out } = capture();
    expect(
      await reportCommand(
        ['c1', '--store', path, '--from', '2026-03-01', '--to', '2026-03-07'],
        io,
      ),
    ).toBe(0);
    expect(out.join('')).toContain(join(dir, 'reports/c1/report.html'));
    const html = await readFile(join(dir, 'reports/c1/report.html'), 'utf8');
    expect(html).toContain('<h1>Spring launch</h1>');
    expect(html).toContain('<figure id="chart-spend"');
    expect(await readFile(join(dir, 'reports/c1/report.md'), 'utf8')).toContain('# Spring launch');
  });

  it('says so when the campaign is unknown or has no metrics, and needs a campaign', async () => {
    const path = join(dir, 'herald.db');
    const store = openSqliteStore(path);
    await store.saveCampaign({
      id: 'empty',
      spec: specWith([]),
      status: 'running',
      createdAt: 1,
      updatedAt: 1,
    });
    await store.close();
    const unknown = capture();
    expect(await reportCommand(['nope', '--store', path], unknown.io)).toBe(1);
    expect(unknown.err.join('')).toContain('no campaign "nope"');
    const empty = capture();
    expect(await reportCommand(['empty', '--store', path, '--out', 'out'], empty.io)).toBe(0);
    expect(empty.out.join('')).toContain('No metrics collected yet for empty');
    await expect(reportCommand([], capture().io)).rejects.toThrow('name the campaign');
  });
});
