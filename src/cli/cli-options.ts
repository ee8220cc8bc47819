/**
 * @module
 * Argument parsing shared by the `herald` commands, on node:util's `parseArgs`, with errors
 * that name the bad flag.
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

/** Parses `args` against `options`; throws `HeraldError('bad_arguments')` naming the problem. */
export function parseCliArgs<T extends CliOptions>(
  args: readonly string[],
  options: T,
  usage: string,
): ParsedCli<T> {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new HeraldError('bad_arguments', `${(error as Error).message}\nusage: ${usage}`);
  }
}

/** The store file: `--store`, else `HERALD_STORE`, else `./.herald/herald.db`, resolved against the command's cwd. */
export function storePath(flag: string | undefined, io: CliIo): string {
  return resolve(io.cwd ?? process.cwd(), flag ?? io.env?.HERALD_STORE ?? '.herald/herald.db');
}
