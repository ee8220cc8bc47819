/**
 * @module
 * The `herald` command: dispatches to its sub-commands and turns Herald's errors into a
 * message and an exit code.
 */
import { formatIssues, isHeraldError, ValidationError } from '../errors.js';
import type { CliIo, Command } from './cli-io.js';
import { controlCommand, inspectCommand, statusCommand } from './control-commands.js';
import { parseCommand } from './parse-command.js';
import { reportCommand } from './report-command.js';
import { runCommand } from './run-command.js';
import { sandboxCommand } from './sandbox-command.js';
import { schemaCommand } from './schema-command.js';
import { workerCommand } from './worker-command.js';

const HELP = `herald — marketing campaigns as actors

  herald run <campaign.json|.yaml>   show the plan, run it on the sandbox, print progress and a summary
  herald status [campaign]           campaigns in the store, or one in detail
  herald inspect <campaign>          the actor tree: states, context, recent events
  herald pause|resume|cancel <id>    control a campaign
  herald parse [file|-]              read a plain-English campaign: --format spec|facts|explain|machine, --batch
  herald report <campaign>           collect its metrics and write an HTML + Markdown report with charts
  herald schema                      the JSON Schema of a campaign spec
  herald sandbox                     serve the fake platforms and print their URLs
  herald worker                      a cluster worker (HERALD_STORE_URL=postgres://…, HERALD_QUEUE_URL=redis://…)
`;

/**
 * Runs `herald` with `args`; returns the exit code.
 * @example process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
 */
export async function main(
  args: readonly string[],
  io: CliIo,
  signal?: AbortSignal,
): Promise<number> {
  const [name, ...rest] = args;
  const commands: Record<string, Command> = {
    run: runCommand,
    status: statusCommand,
    inspect: inspectCommand,
    pause: controlCommand('pause'),
    resume: controlCommand('resume'),
    cancel: controlCommand('cancel'),
    schema: schemaCommand,
    report: reportCommand,
    parse: parseCommand,
    worker: workerCommand,
    sandbox: (rest, io) => sandboxCommand(signal ?? interrupted())(rest, io),
  };
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.stdout.write(HELP);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    io.stderr.write(`unknown command "${name}"\n\n${HELP}`);
    return 2;
  }
  try {
    return await command(rest, io);
  } catch (error) {
    if (error instanceof ValidationError) {
      io.stderr.write(`${error.message.split('\n')[0]!}\n${formatIssues(error.issues)}\n`);
      return 2;
    }
    if (isHeraldError(error)) {
      io.stderr.write(`error [${error.code}]: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

function interrupted(): AbortSignal {
  const controller = new AbortController();
  process.once('SIGINT', () => {
    controller.abort();
  });
  return controller.signal;
}
