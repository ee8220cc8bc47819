import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmReading } from '../../src/cli/confirm-reading.js';
import { campaignFromText } from '../../src/cli/load-campaign.js';
import { runHerald } from '../cli/herald-process.js';

const NOW = '2026-11-25T12:00:00Z';
const TEXT = 'Tweet the teaser on Dec 2 at 9am ET, like the March one.';
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'herald-confirm-'));
  await writeFile(join(dir, 'teaser.txt'), TEXT);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function sink(): {
  io: { stdout: { write: (t: string) => void }; stderr: { write: (t: string) => void } };
  out: () => string;
  err: () => string;
} {
  let out = '';
  let err = '';
  return {
    io: { stdout: { write: (t) => (out += t) }, stderr: { write: (t) => (err += t) } },
    out: () => out,
    err: () => err,
  };
}

describe('herald run on plain English', () => {
  it('prints what it read, its assumptions and the words it did not read, then runs with --yes', async () => {
    const run = await runHerald(['run', 'teaser.txt', '--now', NOW, '--yes'], { cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('What Herald read:');
    expect(run.stdout).toMatch(/Post on X on Wednesday, December 2, 2026 at 9(:00)? ?(AM|am)?/i);
    expect(run.stdout).toContain('Not read (nothing was done with these words):\n  - "March"');
    expect(run.stdout).toMatch(/Assumed:\n {2}- .*has no message text/);
  });

  it('asks on a terminal and runs nothing unless the answer is yes', async () => {
    const loaded = campaignFromText('teaser.txt', TEXT, Date.parse(NOW));
    const no = sink();
    expect(await confirmReading(loaded, false, no.io, () => Promise.resolve('n'))).toBe(false);
    expect(no.out()).toContain('"March"');
    expect(no.err()).toContain('not run');
    const yes = sink();
    expect(await confirmReading(loaded, false, yes.io, () => Promise.resolve('yes'))).toBe(true);
    const scripted = sink();
    expect(
      await confirmReading(loaded, true, scripted.io, () => Promise.reject(new Error('asked'))),
    ).toBe(true);
  });
});
