/**
 * @module
 * The `herald` command: dispatches to its sub-commands and turns Herald's errors into a
 * message and an exit code. A command's module is imported only when it runs, so `--help`,
 * `--version` and `parse` never load charts, queues or database drivers.
 */
import { readFileSync } from 'node:fs';
import { EnvironmentError, formatIssues, isHeraldError, ValidationError } from '../errors.js';
import type { CliIo, Command, TextSink } from './cli-io.js';
import { HelpRequested, storePath } from './cli-options.js';
import { storeFault } from './store-faults.js';

/** Exit codes of `herald`, as the README documents them. */
export const EXIT_CODES = {
  ok: 0,
  /** The campaign ran and failed (or a parsed description still has questions). */
  campaignFailed: 1,
  /** Bad input: arguments, a campaign file, a campaign id. */
  badInput: 2,
  /** The environment failed Herald: an unusable store, a full disk, a read-only folder. */
  environmentFault: 3,
  /** Another process took the campaign over (this one was frozen or slow past its lease). */
  takenOver: 4,
} as const;

const HELP = `herald — marketing campaigns as actors

  herald run <campaign.json|.yaml>   show the plan, run it on the sandbox, print progress and a summary
  herald status [campaign]           campaigns in the store, or one in detail
  herald inspect <campaign>          the actor tree: states, context, recent events
  herald pause|resume|cancel <id>    control a campaign
  herald parse [file|-]              read a plain-English campaign: --format spec|facts|explain|machine, --batch
  herald report <campaign>           collect its metrics and write an HTML + Markdown report with charts
  herald schema [--project]          the JSON Schema of a campaign spec (or of herald.yaml)
  herald init                        write a commented herald.yaml: your audience, accounts and defaults
  herald check                       verify herald.yaml: the audience loads, each account authenticates
  herald preview <campaign> --recipient <id>   each step's message as that recipient receives it
  herald sandbox                     serve the fake platforms and print their URLs
  herald worker                      a cluster worker (HERALD_STORE_URL=postgres://…, HERALD_QUEUE_URL=redis://…)

  herald <command> --help            the command's flags;  herald --version
  exit codes: 0 ok, 1 campaign failed, 2 bad input, 3 environment fault (store, disk),
              4 another process took the campaign over
`;

/** Each command, imported when it runs. */
const COMMANDS: Readonly<Record<string, (signal: AbortSignal | undefined) => Promise<Command>>> = {
  run: async () => (await import('./run-command.js')).runCommand,
  status: async () => (await import('./control-commands.js')).statusCommand,
  inspect: async () => (await import('./control-commands.js')).inspectCommand,
  pause: async () => (await import('./control-commands.js')).controlCommand('pause'),
  resume: async () => (await import('./control-commands.js')).controlCommand('resume'),
  cancel: async () => (await import('./control-commands.js')).controlCommand('cancel'),
  schema: async () => (await import('./schema-command.js')).schemaCommand,
  init: async () => (await import('./init-command.js')).initCommand,
  check: async () => (await import('./check-command.js')).checkCommand,
  preview: async () => (await import('./preview-command.js')).previewCommand,
  report: async () => (await import('./report-command.js')).reportCommand,
  parse: async () => (await import('./parse-command.js')).parseCommand,
  worker: async () => (await import('./worker-command.js')).workerCommand,
  sandbox: async (signal) =>
    (await import('./sandbox-command.js')).sandboxCommand(signal ?? interrupted()),
};

/**
 * Runs `herald` with `args`; returns the exit code ({@link EXIT_CODES}).
 * @example process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
 */
export async function main(
  args: readonly string[],
  io: CliIo,
  signal?: AbortSignal,
): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.stdout.write(HELP);
    return EXIT_CODES.ok;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`herald ${version()}\n`);
    return EXIT_CODES.ok;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    io.stderr.write(`unknown command "${name}"\n\n${HELP}`);
    return EXIT_CODES.badInput;
  }
  const inert = { ...io, stdout: plainText(io.stdout), stderr: plainText(io.stderr) };
  try {
    const command = await load(signal);
    return await command(rest, inert);
  } catch (error) {
    return report(storeFault(error, storePath(storeFlag(rest), io)) ?? error, inert);
  }
}

/** C0 and C1 control characters other than tab and line feed: escape sequences, bells, CRs. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * A sink that shows control characters as `\u001b` instead of sending them: names and
 * messages come from campaign files, and an escape sequence in one must not drive the terminal.
 */
function plainText(sink: TextSink): TextSink {
  return {
    write: (text: string) =>
      sink.write(
        text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
      ),
  };
}

/** Writes what went wrong in one message and returns the exit code; rethrows what is not Herald's. */
function report(error: unknown, io: CliIo): number {
  if (error instanceof HelpRequested) {
    io.stdout.write(`usage: ${error.usage}\n`);
    return EXIT_CODES.ok;
  }
  if (error instanceof ValidationError) {
    io.stderr.write(`${error.message.split('\n')[0]!}\n${formatIssues(error.issues)}\n`);
    return EXIT_CODES.badInput;
  }
  if (error instanceof EnvironmentError) {
    io.stderr.write(`error [${error.code}]: ${error.message}\n`);
    return EXIT_CODES.environmentFault;
  }
  if (isHeraldError(error)) {
    io.stderr.write(`error [${error.code}]: ${error.message}\n`);
    return EXIT_CODES.badInput;
  }
  throw error;
}

/** The `--store` value among a command's arguments, for naming the store in a fault. */
function storeFlag(args: readonly string[]): string | undefined {
  for (const [i, arg] of args.entries()) {
    if (arg === '--store') return args[i + 1];
    if (arg.startsWith('--store=')) return arg.slice('--store='.length);
  }
  return undefined;
}

function version(): string {
  const manifest = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

function interrupted(): AbortSignal {
  const controller = new AbortController();
  process.once('SIGINT', () => {
    controller.abort();
  });
  return controller.signal;
}
