/**
 * @module
 * Before `herald run` sends anything read from plain English, it prints what it read: each
 * step and rule as the explanation states them, the assumptions it made and the words it did
 * not read, each quoted. On a terminal it then asks; `--yes` answers for scripts.
 */
import { createInterface } from 'node:readline/promises';
import { explainCampaign } from '../nl/explain-campaign.js';
import type { Issue } from '../errors.js';
import { BLOCKING_CODES } from '../nl/campaign-draft.js';
import type { CliIo } from './cli-io.js';
import type { LoadedCampaign } from './load-campaign.js';

const quoted = (text: string, span: readonly [number, number] | undefined): string =>
  span === undefined ? '' : `"${text.slice(span[0], span[1])}": `;

/** The questions, the assumptions and then the unread words of a parse, quoted from `text`. */
export function describeNotes(text: string, notes: readonly Issue[]): string {
  const lines: string[] = [];
  const unread = notes.filter((n) => n.code === 'unread');
  const asked = notes.filter((n) => BLOCKING_CODES.has(n.code));
  const assumed = notes.filter((n) => n.code !== 'unread' && !BLOCKING_CODES.has(n.code));
  if (asked.length > 0)
    lines.push('To answer first:', ...asked.map((n) => `  - ${quoted(text, n.span)}${n.message}`));
  if (assumed.length > 0)
    lines.push('Assumed:', ...assumed.map((n) => `  - ${quoted(text, n.span)}${n.message}`));
  if (unread.length > 0)
    lines.push(
      'Not read (nothing was done with these words):',
      ...unread.map((n) => `  - ${quoted(text, n.span).replace(/: $/, '')}`),
    );
  return lines.map((l) => `${l}\n`).join('');
}

/** The "what Herald read" block for a description: facts, then assumptions, then unread words. */
export function describeReading(loaded: LoadedCampaign & { readonly text: string }): string {
  const facts = explainCampaign(loaded.spec)
    .split('\n')
    .map((l) => `  ${l}\n`)
    .join('');
  return `What Herald read:\n${facts}${describeNotes(loaded.text, loaded.notes)}`;
}

/** Asks one question on the terminal. */
export async function askTerminal(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}

/**
 * Prints what a description was read as and, when `ask` is given (standard input is a
 * terminal) and `yes` is false, asks before running. Returns false when the answer is not yes.
 * Specs (JSON/YAML) pass without a word.
 */
export async function confirmReading(
  loaded: LoadedCampaign,
  yes: boolean,
  io: CliIo,
  ask: ((question: string) => Promise<string>) | undefined = io.stdin === undefined &&
  process.stdin.isTTY
    ? askTerminal
    : undefined,
): Promise<boolean> {
  if (loaded.text === undefined) return true;
  io.stdout.write(describeReading({ ...loaded, text: loaded.text }));
  if (yes || ask === undefined) return true;
  if (/^\s*y(es)?\s*$/i.test(await ask('Run this campaign? [y/N] '))) return true;
  io.stderr.write('not run: answer "y" to run it, or pass --yes\n');
  return false;
}
