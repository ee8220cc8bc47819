import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CampaignMetrics } from '../../src/actors/campaign-metrics.js';
import { openMetricsDatabase } from '../../src/metrics/metrics-database.js';
import { SCENARIO_NOW, scenarioWorld } from './scenario-harness.js';

let world: Awaited<ReturnType<typeof scenarioWorld>> | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('scenario 6: performance reporting aggregated across all channels, with charts', () => {
  it('collects every channel of a finished campaign and writes a report whose charts carry each platform', async () => {
    world = await scenarioWorld();
    const { spec } = await world.read('black-friday.txt');
    const id = await world.system.launch(spec, { id: 'bf' });
    expect((await world.system.settled(id)).status).toBe('completed');
    // A week later the numbers are in.
    world.clock.advanceTo(SCENARIO_NOW + 14 * 86_400_000);
    const database = openMetricsDatabase(world.storeFile);
    const metrics = new CampaignMetrics({
      system: world.system,
      store: world.store,
      connectors: world.connectors,
      database,
      clock: world.clock,
    });
    const collected = await metrics.collect(id);
    expect(collected.failures).toEqual([]);
    const outDir = join(world.storeFile, '..', 'reports', id);
    const report = await metrics.report(id, outDir);
    database.close();

    const html = await readFile(report.htmlPath, 'utf8');
    const markdown = await readFile(report.markdownPath, 'utf8');
    expect(report.chartPaths.length).toBeGreaterThanOrEqual(3);
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(report.chartPaths.length);
    for (const platform of ['facebook', 'instagram', 'sendgrid']) expect(html).toContain(platform);
    expect(html).toContain('Black friday');
    expect(markdown).toMatch(/Open rate/);
    expect(markdown).toMatch(/\| KPI \| Value \|/);
    expect(html).not.toContain('<script');
  }, 60_000);
});
