/**
 * Runs every `bench/*.bench.ts` (or those whose name contains an argument) and writes each
 * result to `bench/results/<name>.json`. A bench module's default export returns a JSON-able
 * object; figures are reported as ratios against a baseline measured in the same run.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = import.meta.dirname;
const filters = process.argv.slice(2);
const files = (await readdir(dir))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
await mkdir(join(dir, 'results'), { recursive: true });
for (const file of files) {
  const name = basename(file, '.bench.ts');
  process.stdout.write(`bench ${name} …\n`);
  const mod = (await import(pathToFileURL(join(dir, file)).href)) as {
    default: () => Promise<Record<string, unknown>>;
  };
  const started = new Date().toISOString();
  const result = await mod.default();
  const record = { name, started, node: process.version, ...result };
  await writeFile(join(dir, 'results', `${name}.json`), JSON.stringify(record, null, 2) + '\n');
  process.stdout.write(`${JSON.stringify(record, null, 2)}\n`);
}
