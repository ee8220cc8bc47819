/**
 * @module
 * `herald parse`: plain English → campaign spec, facts view, explanation or state chart.
 * Reads a file, or standard input with `-` or no file; `--batch` reads JSON lines
 * `{"id","text"}` and writes `{"id","facts"}` (or `{"id","spec"}`) lines.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { HeraldError, type Issue } from '../errors.js';
import { toFacts } from '../nl/campaign-facts.js';
import { explainCampaign } from '../nl/explain-campaign.js';
import { type ParseResult, parseCampaign } from '../nl/parse-campaign.js';
import type { CampaignSpec } from '../spec/campaign-schema.js';
import { isValidZone } from '../spec/timing-schema.js';
import type { CliIo, Command } from './cli-io.js';
import { describeNotes } from './confirm-reading.js';
import { parseCliArgs } from './cli-options.js';

const USAGE =
  'herald parse [file|-] [--now ISO] [--zone IANA] [--format spec|facts|explain|machine] [--batch]';
const FORMATS = ['spec', 'facts', 'explain', 'machine'] as const;
type Format = (typeof FORMATS)[number];

async function readAll(io: CliIo): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of io.stdin ?? process.stdin) {
    text +=
      typeof chunk === 'string' ? chunk : decoder.decode(chunk as Uint8Array, { stream: true });
  }
  return text + decoder.decode();
}

/** Renders diagnostics one per line with the words they point at. */
export function formatDiagnostics(text: string, issues: readonly Issue[]): string {
  return issues
    .map((d) => {
      const where =
        d.span === undefined
          ? ''
          : ` "${text.slice(d.span[0], d.span[1])}" (${d.span[0]}–${d.span[1]})`;
      const fix = d.suggestions?.length ? ` (try: ${d.suggestions.join('; ')})` : '';
      return `  - [${d.code}]${where}: ${d.message}${fix}\n`;
    })
    .join('');
}

async function render(
  format: Format,
  text: string,
  result: ParseResult,
  io: CliIo,
): Promise<number> {
  if (result.diagnostics.length > 0) io.stderr.write(formatDiagnostics(text, result.diagnostics));
  if (format === 'machine') {
    if (!result.success) {
      io.stderr.write('the campaign is not complete yet; answer the questions above first\n');
      return 1;
    }
    // Charts (and xstate) load only for the chart view.
    const { compileCampaign } = await import('../machines/compile-campaign.js');
    const { chartView } = await import('../machines/chart-view.js');
    const spec = result.spec as CampaignSpec;
    io.stdout.write(`${JSON.stringify(chartView(spec, compileCampaign(spec)), null, 2)}\n`);
    return 0;
  }
  if (format === 'explain')
    io.stdout.write(`${explainCampaign(result.spec)}\n${describeNotes(text, result.diagnostics)}`);
  else {
    const body = format === 'facts' ? toFacts(result.spec, result.diagnostics) : result.spec;
    io.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
  }
  return result.success ? 0 : 1;
}

async function batch(
  format: Format,
  io: CliIo,
  parse: (text: string) => ParseResult,
): Promise<number> {
  let code = 0;
  for (const line of (await readAll(io)).split('\n')) {
    if (line.trim().length === 0) continue;
    let item: { id?: unknown; text?: unknown };
    try {
      item = JSON.parse(line) as { id?: unknown; text?: unknown };
    } catch {
      item = {};
    }
    if (typeof item.text !== 'string') {
      io.stdout.write(
        `${JSON.stringify({ id: item.id ?? null, error: 'expected a JSON line {"id","text"}' })}\n`,
      );
      code = 1;
      continue;
    }
    const result = parse(item.text);
    const body =
      format === 'spec'
        ? { spec: result.spec }
        : { facts: toFacts(result.spec, result.diagnostics) };
    io.stdout.write(`${JSON.stringify({ id: item.id ?? null, ...body })}\n`);
  }
  return code;
}

/**
 * `herald parse`.
 * @example
 * await parseCommand(['campaign.txt', '--format', 'facts'], { stdout: process.stdout, stderr: process.stderr });
 */
export const parseCommand: Command = async (args, io) => {
  const { values, positionals } = parseCliArgs(
    args,
    {
      now: { type: 'string' },
      zone: { type: 'string' },
      format: { type: 'string' },
      batch: { type: 'boolean', default: false },
    },
    USAGE,
  );
  const format = (values.format ?? (values.batch ? 'facts' : 'spec')) as Format;
  if (!FORMATS.includes(format))
    throw new HeraldError('bad_arguments', `unknown --format "${format}"\nusage: ${USAGE}`);
  const now = values.now ?? new Date().toISOString();
  if (Number.isNaN(Date.parse(now)))
    throw new HeraldError(
      'bad_arguments',
      `--now "${now}" is not an ISO-8601 date-time, e.g. 2026-11-25T12:00:00Z`,
    );
  if (values.zone !== undefined && !isValidZone(values.zone))
    throw new HeraldError(
      'bad_arguments',
      `--zone "${values.zone}" is not an IANA time zone, e.g. America/New_York`,
    );
  const options = values.zone === undefined ? { now } : { now, defaultZone: values.zone };
  const parse = (text: string): ParseResult => parseCampaign(text, options);
  if (values.batch) return batch(format, io, parse);
  const file = positionals[0];
  let text: string;
  if (file === undefined || file === '-') text = await readAll(io);
  else {
    const full = resolve(io.cwd ?? process.cwd(), file);
    try {
      text = await readFile(full, 'utf8');
    } catch {
      throw new HeraldError(
        'file_not_found',
        `cannot read ${file}: check the path (looked in ${full})`,
      );
    }
  }
  return render(format, text, parse(text), io);
};
