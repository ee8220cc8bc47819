/**
 * @module
 * `checkProject`: verifies a project without sending anything. The audience loads (row counts,
 * rejected rows with their line numbers, the fields Herald reads and what each enables), and
 * every account's credentials authenticate through its connector's cheapest identity call.
 * Each finding is a row with a status and, for each failure, its fix.
 */
import { isConnectorError } from '../connectors/connector-error.js';
import { sendQuotaForecast } from '../connectors/send-quotas.js';
import type { ConnectorRegistry } from '../connectors/connector.js';
import { isHeraldError } from '../errors.js';
import { readField } from '../segments/profile-model.js';
import type { Platform } from '../spec/platforms.js';
import type { OpenProject } from './open-project.js';

/** One finding of a check. */
export interface CheckRow {
  /** What was checked, e.g. `profiles.csv`, `field zone`, `sendgrid`. */
  readonly subject: string;
  readonly status: 'ok' | 'warning' | 'failed';
  readonly detail: string;
  /** How to fix a failure or a warning. */
  readonly fix?: string;
}

/** Fields Herald reads from profiles and what each one enables. */
const FIELD_USES: readonly (readonly [string, string])[] = [
  ['email', 'email steps'],
  ['phone', 'SMS steps'],
  ['zone', "delivery in each recipient's local time and quiet hours"],
  ['consent_email', 'email consent (without it nobody gets email)'],
  ['consent_sms', 'SMS consent (without it nobody gets SMS)'],
  ['country', "each recipient's regional law"],
  ['region', 'state and province law'],
  ['language', 'locale of messages'],
  ['age', 'age rules ("adults 25 to 44")'],
  ['loyalty_tier', 'the vip segment ("our VIP list")'],
];

/**
 * Checks the audience and accounts of `project`; `connectors` is built from the project
 * (`projectConnectors`).
 * @example const rows = await checkProject(project, projectConnectors(project, clock, urls));
 */
export async function checkProject(
  project: OpenProject,
  connectors: ConnectorRegistry,
  signal?: AbortSignal,
): Promise<CheckRow[]> {
  return [...audienceRows(project), ...(await accountRows(project, connectors, signal))];
}

function audienceRows(project: OpenProject): CheckRow[] {
  const rows: CheckRow[] = [];
  const { audience } = project;
  // A database that cannot be reached yields no source to report on.
  if (audience.sources.length === 0)
    for (const issue of audience.blocking)
      rows.push({
        subject: 'audience',
        status: 'failed',
        detail: issue.message,
        ...(issue.suggestions?.[0] ? { fix: issue.suggestions[0] } : {}),
      });
  for (const source of audience.sources) {
    const blocking = source.issues.filter(
      (i) => i.code === 'source_unusable' || i.code === 'missing_column',
    );
    for (const issue of blocking)
      rows.push({
        subject: source.name,
        status: 'failed',
        detail: issue.message,
        ...(issue.suggestions?.[0] ? { fix: issue.suggestions[0] } : {}),
      });
    if (blocking.length > 0) continue;
    rows.push({
      subject: source.name,
      status: source.rejected > 0 ? 'warning' : 'ok',
      detail: `${String(source.loaded)} ${source.kind} loaded${source.rejected > 0 ? `, ${String(source.rejected)} rejected` : ''}`,
      ...(source.rejected > 0 ? { fix: 'fix the rows below; the rest load without them' } : {}),
    });
    for (const issue of source.issues)
      rows.push({
        subject: source.name,
        status: 'warning',
        detail: issue.message,
        ...(issue.suggestions?.[0] ? { fix: issue.suggestions[0] } : {}),
      });
  }
  const total = audience.profiles.length;
  if (total === 0 || audience.blocking.length > 0) return rows;
  for (const [field, use] of FIELD_USES) {
    const has = audience.profiles.filter((p) => {
      const value = readField(p, field);
      return value !== undefined && value !== false;
    }).length;
    rows.push({
      subject: `field ${field}`,
      status: has === 0 && (field === 'email' || field === 'zone') ? 'warning' : 'ok',
      detail: `${String(has)} of ${String(total)} profiles → ${use}`,
      ...(has === 0 && field === 'zone'
        ? { fix: 'add a "zone" column (e.g. Europe/Berlin); until then the campaign zone is used' }
        : has === 0 && field === 'email'
          ? { fix: 'add an "email" column to send email' }
          : {}),
    });
  }
  const traits = new Map<string, number>();
  for (const p of audience.profiles)
    for (const name of Object.keys(p.traits ?? {})) traits.set(name, (traits.get(name) ?? 0) + 1);
  for (const [name, count] of traits)
    rows.push({
      subject: `field ${name}`,
      status: 'ok',
      detail: `${String(count)} of ${String(total)} profiles → merge field {{${name}}} and rules on traits.${name}`,
    });
  const types = new Map<string, number>();
  for (const e of audience.events) types.set(e.type, (types.get(e.type) ?? 0) + 1);
  for (const [type, count] of types)
    rows.push({
      subject: `events ${type}`,
      status: 'ok',
      detail: `${String(count)} events → behaviour rules ("did ${type} in the last 30 days")`,
    });
  return rows;
}

async function accountRows(
  project: OpenProject,
  connectors: ConnectorRegistry,
  signal?: AbortSignal,
): Promise<CheckRow[]> {
  const rows: CheckRow[] = [];
  const where = project.onSandbox ? 'on the sandbox' : 'on the real platform';
  const platforms = Object.keys(project.file.accounts) as Platform[];
  if (platforms.length === 0)
    rows.push({
      subject: 'accounts',
      status: 'warning',
      detail: 'herald.yaml names no platform account; campaigns cannot send',
      fix: 'add an account under "accounts" (herald init writes an example)',
    });
  for (const platform of platforms) {
    const issues = project.credentialIssues[platform] ?? [];
    if (issues.length > 0) {
      for (const issue of issues)
        rows.push({
          subject: platform,
          status: 'failed',
          detail: issue.message,
          ...(issue.suggestions?.[0] ? { fix: issue.suggestions[0] } : {}),
        });
      continue;
    }
    const names = Object.keys(
      project.file.accounts[platform as keyof typeof project.file.accounts]?.credentials ?? {},
    );
    try {
      const connector = connectors.get(platform);
      if (!connector.verify) {
        rows.push({
          subject: platform,
          status: 'warning',
          detail: `credentials present; Herald has no identity check for ${platform}, so they are first used at the first send`,
          fix: `make a test send (herald run … --test-send) before the campaign`,
        });
        continue;
      }
      const identity = await connector.verify(signal);
      const quotas = platform === 'ga4' ? [] : sendQuotaForecast(platform as never, 1).quotas;
      rows.push({
        subject: platform,
        status: 'ok',
        detail: `authenticated ${where} as ${identity.account}${identity.tier ? ` (${identity.tier})` : ''}${quotas.length > 0 ? `; quota ${quotas.join(' and ')}` : ''}`,
      });
    } catch (error) {
      if (
        isConnectorError(error) &&
        (error.code === 'auth_expired' || error.code === 'permission_denied')
      ) {
        rows.push({
          subject: platform,
          status: 'failed',
          detail: `${platform} refused the credentials ${names.join(', ')}: ${error.platformMessage ?? error.message}`,
          fix: `set ${names.join(', ') || 'the credentials'} to working values from your ${platform} account (a new API key or token)`,
        });
      } else if (isHeraldError(error)) {
        rows.push({
          subject: platform,
          status: 'failed',
          detail: error.message,
          fix:
            error.code === 'missing_credential'
              ? `add the missing settings to accounts.${platform} in herald.yaml`
              : `check the network and ${platform}'s status page, then run herald check again`,
        });
      } else throw error;
    }
  }
  return rows;
}

/** Renders check rows as an aligned table, a fix under each failure or warning. */
export function formatCheckTable(rows: readonly CheckRow[]): string {
  const mark = { ok: '✓', warning: '!', failed: '✗' } as const;
  const width = Math.min(28, Math.max(...rows.map((r) => r.subject.length), 7));
  const lines = rows.map(
    (r) =>
      `${mark[r.status]} ${r.subject.padEnd(width)}  ${r.detail}${r.fix ? `\n  ${' '.repeat(width)}  fix: ${r.fix}` : ''}`,
  );
  const failed = rows.filter((r) => r.status === 'failed').length;
  const warned = rows.filter((r) => r.status === 'warning').length;
  lines.push(
    failed > 0
      ? `\n${String(failed)} problem(s) to fix${warned > 0 ? `, ${String(warned)} warning(s)` : ''}; nothing was sent.`
      : `\nAll checks passed${warned > 0 ? ` with ${String(warned)} warning(s)` : ''}; nothing was sent.`,
  );
  return `${lines.join('\n')}\n`;
}
