/**
 * @module
 * Opens a project for a command: reads `herald.yaml`, loads its audience, opens its secrets
 * and builds its connectors, all against the real platforms or all against the sandbox (a
 * project never mixes the two: `sandbox` sends every account to the sandbox, or none).
 */
import type { ConnectorRegistry } from '../connectors/connector.js';
import { createConnectorRegistry } from '../connectors/connector-registry.js';
import type { Issue } from '../errors.js';
import { SANDBOX_CREDENTIALS } from '../sandbox/sandbox-credentials.js';
import type { Clock } from '../schedule/clock.js';
import type { Platform } from '../spec/platforms.js';
import { projectProviders } from './apply-project.js';
import { accountSettings, findProject, readProject, type LoadedProject } from './load-project.js';
import { loadProjectAudience, type ProjectAudienceData } from './project-audience.js';

/** A project ready to run or check. */
export interface OpenProject extends LoadedProject {
  readonly audience: ProjectAudienceData;
  /** Every account's settings, as the connectors read them (secrets opened). */
  readonly settings: Readonly<Record<string, string>>;
  /** Secrets that could not be opened, by platform. */
  readonly credentialIssues: Readonly<Record<string, readonly Issue[]>>;
  /** True when every account is the sandbox's. */
  readonly onSandbox: boolean;
}

/**
 * Opens the project in `cwd` (or `flag`), or returns `undefined` when there is none.
 * @example const project = await openProject(process.cwd(), undefined, process.env, Date.now());
 */
export async function openProject(
  cwd: string,
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  now: number,
): Promise<OpenProject | undefined> {
  const path = findProject(cwd, flag);
  if (path === undefined) return undefined;
  const loaded = await readProject(path);
  const audience = await loadProjectAudience(loaded, env, now);
  const { settings, issues } = accountSettings(loaded.file, env);
  const sandbox = loaded.file.sandbox;
  if (sandbox !== undefined) {
    // On the sandbox, say which value it accepts for a variable that is not set.
    for (const list of Object.values(issues))
      for (const [i, issue] of list.entries()) {
        const name = /^([A-Z][A-Z0-9_]*) is not set$/.exec(issue.message)?.[1];
        const value = name === undefined ? undefined : SANDBOX_CREDENTIALS[name];
        if (value !== undefined)
          list[i] = { ...issue, suggestions: [`export ${name!}='${value}' (the sandbox's value)`] };
      }
  }
  if (sandbox !== undefined && sandbox !== 'embedded') {
    for (const platform of Object.keys(loaded.file.accounts)) {
      if (sandbox[platform] !== undefined) continue;
      (issues[platform] ??= []).push({
        code: 'mixed_accounts',
        path: ['sandbox', platform],
        message: `the ${platform} account has no sandbox URL, so it would reach the real ${platform} while the others reach the sandbox`,
        suggestions: [
          `add sandbox.${platform} (herald sandbox prints it)`,
          `or remove accounts.${platform}`,
        ],
      });
    }
  }
  return {
    ...loaded,
    audience,
    settings,
    credentialIssues: issues,
    onSandbox: loaded.file.sandbox !== undefined,
  };
}

/**
 * The project's connectors: its accounts' settings only (never the whole environment),
 * pointed at the sandbox when the project says so (`embedded` uses `embeddedUrls`).
 */
export function projectConnectors(
  project: OpenProject,
  clock: Clock,
  embeddedUrls: Readonly<Partial<Record<Platform, string>>>,
): ConnectorRegistry {
  const sandbox = project.file.sandbox;
  const urls =
    sandbox === undefined
      ? undefined
      : sandbox === 'embedded'
        ? embeddedUrls
        : (sandbox as Partial<Record<Platform, string>>);
  return createConnectorRegistry({
    env: project.settings,
    config: { providers: projectProviders(project.file) },
    clock,
    ...(urls ? { sandbox: urls } : {}),
  });
}
