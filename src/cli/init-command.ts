/**
 * @module
 * `herald init`: writes a commented `herald.yaml` into the current folder (never over an
 * existing one unless `--force`), and says what to do next.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PROJECT_FILE } from '../project/load-project.js';
import { PROJECT_TEMPLATE } from '../project/project-template.js';
import type { Command } from './cli-io.js';
import { parseCliArgs } from './cli-options.js';

/** `herald init`. */
export const initCommand: Command = async (args, io) => {
  const { values } = parseCliArgs(
    args,
    { force: { type: 'boolean', default: false } },
    'herald init [--force]',
  );
  const path = resolve(io.cwd ?? process.cwd(), PROJECT_FILE);
  if (existsSync(path) && !values.force) {
    io.stderr.write(
      `${PROJECT_FILE} already exists here; edit it, or overwrite it with: herald init --force\n`,
    );
    return 1;
  }
  await writeFile(path, PROJECT_TEMPLATE);
  io.stdout.write(
    `Wrote ${path}\nNext: point audience.profiles at your CSV export, name your accounts' credentials, then run: herald check\n`,
  );
  return 0;
};
