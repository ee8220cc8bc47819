import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from './cli-io.js';
import { parseCommand } from './parse-command.js';

const NOW = ['--now', '2026-11-25T12:00:00Z'];

function capture(
  stdin: string[] = [],
  cwd?: string,
): { io: CliIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  async function* lines(): AsyncIterable<string | Uint8Array> {
    for (const [i, chunk] of stdin.entries()) {
      yield await Promise.resolve(i % 2 === 0 ? chunk : new TextEncoder().encode(chunk));
    }
  }
  const io: CliIo = {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    stdin: lines(),
    ...(cwd === undefined ? {} : { cwd }),
  };
  return { io, out: () => out, err: () => err };
}

const CLEAR =
  'LinkedIn post Wednesday Dec 2 at 9am Berlin time, and tweet it at 9am Eastern the same day.';

describe('parseCommand', () => {
  it('prints the spec of a file when it is clear', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'herald-parse-'));
    await writeFile(join(dir, 'c.txt'), CLEAR);
    const { io, out } = capture([], dir);
    expect(await parseCommand(['c.txt', ...NOW], io)).toBe(0);
    expect((JSON.parse(out()) as { steps: unknown[] }).steps).toHaveLength(2);
  });

  it('prints the facts view and the questions when the text is ambiguous', async () => {
    const { io, out, err } = capture(['Newsletter out Friday Dec 4 at 7 Eastern.']);
    expect(await parseCommand(['-', '--format', 'facts', ...NOW], io)).toBe(1);
    expect((JSON.parse(out()) as { ambiguities: string[] }).ambiguities).toEqual(['am_pm_missing']);
    expect(err()).toContain('[am_pm_missing] "7"');
  });

  it('explains the campaign in plain English when asked', async () => {
    const { io, out } = capture([CLEAR]);
    expect(await parseCommand(['--format', 'explain', '--zone', 'Europe/Berlin', ...NOW], io)).toBe(
      0,
    );
    expect(out()).toContain(
      'Post on LinkedIn on Wednesday, December 2, 2026 at 9:00am Europe/Berlin time.',
    );
  });

  it('prints the state chart with --format machine, and refuses an incomplete campaign', async () => {
    const ok = capture([CLEAR]);
    expect(await parseCommand(['--format', 'machine', ...NOW], ok.io)).toBe(0);
    expect((JSON.parse(ok.out()) as { steps: unknown[] }).steps).toHaveLength(2);
    const bad = capture(['Post on X at 9am.']);
    expect(await parseCommand(['--format', 'machine', ...NOW], bad.io)).toBe(1);
    expect(bad.err()).toContain('not complete');
  });

  it('reads JSON lines with --batch and writes one result per line', async () => {
    const input = [
      `{"id":"a","text":${JSON.stringify(CLEAR)}}\n`,
      '\n{"id":"b","te',
      'xt":"Email blast now."}\nnot json\n',
    ];
    const facts = capture(input);
    expect(await parseCommand(['--batch', ...NOW], facts.io)).toBe(1);
    const lines = facts
      .out()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.id)).toEqual(['a', 'b', null]);
    expect(lines[0]).toHaveProperty('facts');
    expect(lines[2]).toHaveProperty('error');
    const specs = capture([`{"id":"a","text":${JSON.stringify(CLEAR)}}`]);
    expect(await parseCommand(['--batch', '--format', 'spec', ...NOW], specs.io)).toBe(0);
    expect(JSON.parse(specs.out())).toHaveProperty('spec');
  });

  it('rejects bad arguments and missing files with a clear error', async () => {
    const { io } = capture();
    await expect(parseCommand(['--format', 'yaml'], io)).rejects.toThrow('unknown --format');
    await expect(parseCommand(['--now', 'yesterday'], io)).rejects.toThrow('ISO-8601');
    await expect(parseCommand(['--zone', 'Mars/Olympus'], io)).rejects.toThrow('IANA');
    await expect(parseCommand(['nope.txt', ...NOW], io)).rejects.toThrow('cannot read nope.txt');
  });

  it('uses the current time when --now is not given', async () => {
    const { io, out } = capture(['Post on X right away.']);
    expect(await parseCommand(['--format', 'facts'], io)).toBe(0);
    expect(out()).toContain('immediate');
  });
});
