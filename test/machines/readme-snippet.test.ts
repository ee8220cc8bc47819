/**
 * The README's model-based test of a campaign chart, run exactly as it is written there (its
 * `herald` imports pointed at this checkout's sources).
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

it('runs the README snippet "Testing Herald\'s charts"', async () => {
  const readme = await readFile(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf("## Testing Herald's charts"));
  const snippet = /```ts\n([\s\S]*?)```/.exec(section)![1]!;
  expect(snippet.split('\n').filter((line) => line.trim() !== '').length).toBeLessThanOrEqual(20);
  const dir = join(root, 'test', 'machines', '.readme-snippet');
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'snippet.ts');
  await writeFile(
    file,
    snippet
      .replace("from 'herald/testing'", "from '../../../src/testing.js'")
      .replace("from 'herald'", "from '../../../src/index.js'"),
  );
  try {
    await import(pathToFileURL(file).href);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
