/**
 * @module
 * `herald schema`: prints the JSON Schema of `CampaignSpec` (zod's `toJSONSchema`).
 */
import { z } from 'zod';
import { CampaignSpec } from '../spec/campaign-schema.js';
import type { Command } from './cli-io.js';
import { parseCliArgs } from './cli-options.js';

/** `herald schema`. */
export const schemaCommand: Command = (args, io) => {
  parseCliArgs(args, {}, 'herald schema');
  io.stdout.write(
    `${JSON.stringify(z.toJSONSchema(CampaignSpec, { io: 'input', unrepresentable: 'any' }), null, 2)}\n`,
  );
  return Promise.resolve(0);
};
