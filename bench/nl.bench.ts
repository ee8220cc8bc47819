/**
 * Parse latency of the plain-English parser: median and p99 over the 40 sample descriptions
 * and over long 30-step descriptions, with the tokenizer alone on the same texts as the
 * baseline. Run with `npx tsx bench/run.ts nl`.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseCampaign } from '../src/nl/parse-campaign.js';
import { tokenize } from '../src/nl/tokenize-text.js';

const NOW = '2026-11-25T12:00:00Z';
const RUNS = 30;
const TEMPLATES = [
  (d: number) => `Post the teaser on Instagram on Dec ${d} at 9am ET.`,
  () => 'An hour after that, tweet it and share it on LinkedIn.',
  (d: number) =>
    `Send the newsletter on Dec ${d} at 10am Berlin time to customers in Germany and Austria who opened in the last 30 days.`,
  (d: number) => `Launch the Meta ads Dec ${d} at 6am PT, $200/day.`,
  () => '30 minutes after launch, ping #growth on Slack.',
  (d: number) => `Text VIP tier members at 7pm in each recipient's local time on Dec ${d}.`,
];

/** A description that parses into at least `steps` steps. */
function longDescription(steps: number, seed: number): string {
  const parts: string[] = [];
  const text = (): string =>
    `${parts.join(' ')} If the open rate is below 15% after 24 hours, resend to non-openers.`;
  for (let i = 0; parseCampaign(text(), { now: NOW }).spec.steps.length < steps; i++) {
    parts.push(TEMPLATES[(i + seed) % TEMPLATES.length]!(1 + ((i + seed) % 28)));
  }
  return text();
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function measure(
  texts: readonly string[],
  run: (text: string) => unknown,
): { medianMs: number; p99Ms: number; maxMs: number } {
  const times: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    for (const text of texts) {
      const started = performance.now();
      run(text);
      times.push(performance.now() - started);
    }
  }
  times.sort((a, b) => a - b);
  const round = (x: number): number => Math.round(x * 1000) / 1000;
  return {
    medianMs: round(percentile(times, 50)),
    p99Ms: round(percentile(times, 99)),
    maxMs: round(times.at(-1)!),
  };
}

/** Milliseconds a fresh node process takes to import `module` (median of 5), via tsx. */
function importMs(module: string): number {
  const root = join(import.meta.dirname, '..');
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(join(root, module)).href)}); console.log(performance.now() - t);`;
  const times = Array.from({ length: 5 }, () =>
    Number(
      execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        cwd: root,
        encoding: 'utf8',
      }),
    ),
  ).sort((a, b) => a - b);
  return Math.round(times[2]!);
}

export default async function nlBench(): Promise<Record<string, unknown>> {
  await Promise.resolve();
  const parserImportMs = importMs('src/nl/parse-campaign.ts');
  const tokenizerImportMs = importMs('src/nl/tokenize-text.ts');
  const samples = readFileSync(
    join(import.meta.dirname, '../test/fixtures/nl/samples.jsonl'),
    'utf8',
  )
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { text: string }).text);
  const long = Array.from({ length: 10 }, (_, seed) => longDescription(30, seed));
  const stepsInLong = parseCampaign(long[0]!, { now: NOW }).spec.steps.length;
  for (const text of [...samples, ...long]) parseCampaign(text, { now: NOW });
  const parse = (text: string): unknown => parseCampaign(text, { now: NOW });
  const samplesParse = measure(samples, parse);
  const samplesTokenize = measure(samples, tokenize);
  const longParse = measure(long, parse);
  const longTokenize = measure(long, tokenize);
  return {
    runs: RUNS,
    importCost: {
      parserMs: parserImportMs,
      tokenizerBaselineMs: tokenizerImportMs,
      ratioToBaseline: Math.round((parserImportMs / tokenizerImportMs) * 10) / 10,
    },
    samples: {
      count: samples.length,
      parse: samplesParse,
      tokenizeBaseline: samplesTokenize,
      ratioToBaseline: Math.round((samplesParse.medianMs / samplesTokenize.medianMs) * 10) / 10,
    },
    long: {
      count: long.length,
      characters: long[0]!.length,
      steps: stepsInLong,
      parse: longParse,
      tokenizeBaseline: longTokenize,
      ratioToBaseline: Math.round((longParse.medianMs / longTokenize.medianMs) * 10) / 10,
    },
  };
}
