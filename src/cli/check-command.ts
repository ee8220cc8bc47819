/**
 * @module
 * `herald check`: verifies the project in this folder without sending anything — the audience
 * loads, the fields it has and what they enable, each account authenticates — and prints a
 * table with a fix for each failure. Exits 1 when anything failed.
 */
import { checkProject, formatCheckTable } from '../project/check-project.js';
import { projectConnectors } from '../project/open-project.js';
import { systemClock } from '../schedule/clock.js';
import { startSandbox } from '../sandbox/start-sandbox.js';
import { HeraldError } from '../errors.js';
import type { Command } from './cli-io.js';
import { parseCliArgs } from './cli-options.js';
import { commandProject } from './project-run.js';

/** `herald check`. */
export const checkCommand: Command = async (args, io) => {
  const { values } = parseCliArgs(
    args,
    { project: { type: 'string' } },
    'herald check [--project FILE]',
  );
  const project = await commandProject(io, values.project, Date.now());
  if (project === undefined)
    throw new HeraldError(
      'no_project',
      'there is no herald.yaml here; create one with: herald init',
    );
  const sandbox = project.file.sandbox === 'embedded' ? await startSandbox() : undefined;
  try {
    const rows = await checkProject(
      project,
      projectConnectors(project, systemClock, sandbox?.urls ?? {}),
    );
    io.stdout.write(`Checking ${project.path}\n\n${formatCheckTable(rows)}`);
    return rows.some((r) => r.status === 'failed') ? 1 : 0;
  } finally {
    await sandbox?.close();
  }
};
