/**
 * @module
 * Finds and reads `herald.yaml`: validated against `ProjectFile` with issues that name the path
 * and the fix, and its secrets opened (environment variables, or ciphertexts sealed by the
 * keyring) into the settings each connector reads, never into anything that is logged.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { z } from 'zod';
import { parse as parseYaml } from 'yaml';
import { SecretKeyring } from '../compliance/secret-keyring.js';
import { HeraldError, ValidationError, type Issue, type Result } from '../errors.js';
import { ProjectFile, type SecretRef } from './project-schema.js';

/** The project file's name. */
export const PROJECT_FILE = 'herald.yaml';

/** A project read from disk. */
export interface LoadedProject {
  /** Absolute path of `herald.yaml`. */
  readonly path: string;
  /** Its folder: relative paths in the file are resolved against it. */
  readonly dir: string;
  readonly file: ProjectFile;
}

/**
 * The project file to use: `flag` when given (it must exist), else `herald.yaml` in `cwd`
 * when there is one, else `undefined` (the quick start's embedded defaults).
 */
export function findProject(cwd: string, flag?: string): string | undefined {
  if (flag !== undefined) {
    const path = resolve(cwd, flag);
    if (!existsSync(path))
      throw new HeraldError(
        'file_not_found',
        `cannot read ${flag}: check the path (looked in ${path})`,
      );
    return path;
  }
  const path = resolve(cwd, PROJECT_FILE);
  return existsSync(path) ? path : undefined;
}

/** Reads and validates a project file; throws `ValidationError` naming each problem. */
export async function readProject(path: string): Promise<LoadedProject> {
  const text = await readFile(path, 'utf8');
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new HeraldError(
      'unreadable_project',
      `${path} is not valid YAML: ${(error as Error).message}`,
    );
  }
  const parsed = ProjectFile.safeParse(data ?? {});
  if (!parsed.success)
    throw new ValidationError(PROJECT_FILE, parsed.error.issues.map(fromZodIssue));
  return { path, dir: dirname(path), file: parsed.data };
}

/**
 * Opens one secret: reads its environment variable or decrypts its ciphertext (bound to
 * `context`, e.g. `sendgrid.SENDGRID_API_KEY`). A failure names the variable and the fix.
 */
export function openSecret(
  ref: SecretRef,
  context: string,
  env: Readonly<Record<string, string | undefined>>,
): Result<string> {
  if ('env' in ref) {
    const value = env[ref.env];
    return value === undefined || value === ''
      ? fail('credential_missing', `${ref.env} is not set`, [`export ${ref.env}=…`])
      : { success: true, data: value };
  }
  let keyring: SecretKeyring;
  try {
    keyring = SecretKeyring.fromEnv(env);
  } catch (error) {
    return fail('secret_key_missing', (error as Error).message, [
      'set HERALD_SECRET_KEY to the key the secret was sealed with',
    ]);
  }
  const opened = keyring.decrypt(ref.encrypted, context);
  return opened.success
    ? opened
    : fail(
        opened.error[0]!.code,
        `cannot open the sealed ${context}: ${opened.error[0]!.message}`,
        [`seal it again for "${context}" with the current HERALD_SECRET_KEY`],
      );
}

/**
 * The environment-style settings of every account (credentials opened, settings as written),
 * as connectors read them, plus an issue per secret that could not be opened.
 */
export function accountSettings(
  project: ProjectFile,
  env: Readonly<Record<string, string | undefined>>,
): { readonly settings: Record<string, string>; readonly issues: Record<string, Issue[]> } {
  const settings: Record<string, string> = {};
  const issues: Record<string, Issue[]> = {};
  for (const [platform, account] of Object.entries(project.accounts)) {
    if (account === undefined) continue;
    Object.assign(settings, account.settings);
    for (const [name, ref] of Object.entries(account.credentials)) {
      const opened = openSecret(ref, `${platform}.${name}`, env);
      if (opened.success) settings[name] = opened.data;
      else
        (issues[platform] ??= []).push(
          ...opened.error.map((i) => ({ ...i, path: ['accounts', platform, 'credentials', name] })),
        );
    }
  }
  return { settings, issues };
}

function fail(code: string, message: string, suggestions: string[]): Result<string> {
  return { success: false, error: [{ code, path: [], message, suggestions }] };
}

function fromZodIssue(issue: z.core.$ZodIssue): Issue {
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  return {
    code:
      issue.code === 'unrecognized_keys'
        ? 'unknown_field'
        : `invalid_${String(path.at(-1) ?? 'project')}`,
    path,
    message: issue.message,
    ...(issue.code === 'invalid_value' && 'values' in issue
      ? { suggestions: [`one of: ${issue.values.map(String).join(', ')}`] }
      : {}),
  };
}
