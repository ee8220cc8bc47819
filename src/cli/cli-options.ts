/**
 * @module
 * Argument parsing shared by the `herald` commands, on node:util's `parseArgs`, with errors
 * that name the bad flag. Every command takes `--help` (`-h`).
 */
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { HeraldError } from '../errors.js';
import type { CliIo } from './cli-io.js';

/** The options of a command, as `parseArgs` takes them. */
export type CliOptions = NonNullable<ParseArgsConfig['options']>;

/** What {@link parseCliArgs} returns for `options`. */
export type ParsedCli<T extends CliOptions> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>
>;

/** Thrown by {@link parseCliArgs} for `--help`: the CLI prints `usage` and exits 0. */
export class HelpRequested extends HeraldError {
  /** The command's usage line. */
  readonly usage: string;

  constructor(usage: string) {
    super('help_requested', usage);
    this.name = 'HelpRequested';
    this.usage = usage;
  }
}

const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const;

/**
 * Parses `args` against `options`; throws `HeraldError('bad_arguments')` naming the problem
 * (an unknown flag, a missing value), or {@link HelpRequested} for `--help`.
 */
export function parseCliArgs<T extends CliOptions>(
  args: readonly string[],
  options: T,
  usage: string,
): ParsedCli<T> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...args],
      options: { ...options, ...HELP_OPTION },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new HeraldError('bad_arguments', `${(error as Error).message}\nusage: ${usage}`);
  }
  if (parsed.values.help === true) throw new HelpRequested(usage);
  return parsed as ParsedCli<T>;
}

/**
 * The whole number a numeric flag holds, at least `min`; undefined when the flag is absent.
 * Throws `HeraldError('bad_arguments')` naming the flag otherwise (`--audience-size abc`).
 */
export function integerFlag(value: string | undefined, flag: string, min = 1): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\s*-?\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min) {
    throw new HeraldError(
      'bad_arguments',
      `--${flag} takes a whole number of at least ${String(min)}, not "${value}"`,
    );
  }
  return n;
}

/** The store file: `--store`, else `HERALD_STORE`, else `./.herald/herald.db`, resolved against the command's cwd. */
export function storePath(flag: string | undefined, io: CliIo): string {
  return resolve(io.cwd ?? process.cwd(), flag ?? io.env?.HERALD_STORE ?? '.herald/herald.db');
}
