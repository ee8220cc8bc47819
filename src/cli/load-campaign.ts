/**
 * @module
 * Reads a campaign file: JSON or YAML specs, validated with issues that name the path and the
 * fix.
 */
import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { HeraldError, ValidationError } from '../errors.js';
import type { CampaignSpec } from '../spec/campaign-schema.js';
import { validateCampaign } from '../spec/validate-campaign.js';

/** Loads and validates a campaign spec file (`.json`, `.yaml`, `.yml`). */
export async function loadCampaignFile(path: string, cwd: string): Promise<CampaignSpec> {
  const full = resolve(cwd, path);
  let text: string;
  try {
    text = await readFile(full, 'utf8');
  } catch {
    throw new HeraldError(
      'file_not_found',
      `cannot read ${path}: check the path (looked in ${full})`,
    );
  }
  const extension = extname(full).toLowerCase();
  if (extension !== '.json' && extension !== '.yaml' && extension !== '.yml') {
    throw new HeraldError(
      'unsupported_file',
      `${path}: expected a .json, .yaml or .yml campaign spec`,
    );
  }
  let data: unknown;
  try {
    data = extension === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new HeraldError(
      'unreadable_spec',
      `${path} is not valid ${extension.slice(1).toUpperCase()}: ${(error as Error).message}`,
    );
  }
  const result = validateCampaign(data);
  if (!result.success) throw new ValidationError(path, result.error);
  return result.data;
}
