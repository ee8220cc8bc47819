/**
 * @module
 * `herald schema`: prints the JSON Schema of `CampaignSpec` (zod's `toJSONSchema`), or with
 * `--project` that of `herald.yaml`, every field described, for editors to complete.
 */
import { z } from 'zod';
import { ProjectFile } from '../project/project-schema.js';
import { CampaignSpec } from '../spec/campaign-schema.js';
import type { Command } from './cli-io.js';
import { parseCliArgs } from './cli-options.js';

/** `herald schema`. */
export const schemaCommand: Command = (args, io) => {
  const { values } = parseCliArgs(
    args,
    { project: { type: 'boolean', default: false } },
    'herald schema [--project]',
  );
  const schema = values.project ? ProjectFile : CampaignSpec;
  io.stdout.write(
    `${JSON.stringify(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }), null, 2)}\n`,
  );
  return Promise.resolve(0);
};
