/**
 * @module
 * `herald status`, `herald inspect`, `herald pause|resume|cancel <campaign>`: act on the
 * campaigns in the store. A campaign runs in the configuration it was launched with, in one
 * process at a time (its lease): a command for a campaign a live process runs is sent to that
 * process through the store's command queue; otherwise this process takes the campaign over —
 * at once when its runner is gone, within a lease length when it stopped renewing — and
 * applies the command itself, running the campaign on after `resume`.
 */
import { actorTree, formatActorTree } from '../actors/actor-tree.js';
import { CampaignSystem } from '../actors/campaign-system.js';
import { HeraldError } from '../errors.js';
import { openSqliteStore, type SqliteHeraldStore } from '../store/sqlite-store.js';
import { isFinalStatus, type CampaignCommand, type CampaignStatus } from '../store/herald-store.js';
import {
  configurationDifferences,
  describeConfiguration,
  type RunConfiguration,
} from '../store/run-configuration.js';
import type { CampaignSpec } from '../spec/campaign-schema.js';
import type { CliIo } from './cli-io.js';
import { commandProject, projectRuntime } from './project-run.js';
import type { Command } from './cli-io.js';
import { integerFlag, parseCliArgs, storePath } from './cli-options.js';
import { clusterOf, controlCluster, printClusterStatus } from './cluster-commands.js';
import {
  claimCampaign,
  givenConfiguration,
  newConfiguration,
  RUN_CONFIGURATION_FLAGS,
  startEmbeddedRuntime,
  type EmbeddedRuntime,
} from './embedded-runtime.js';
import { followToTheEnd } from './run-command.js';

/** `herald status [campaign]`: every campaign, or one in detail with its deadlines and unknown outcomes. */
export const statusCommand: Command = async (args, io) => {
  const { values, positionals } = parseCliArgs(
    args,
    { store: { type: 'string' }, queue: { type: 'string' } },
    'herald status [campaign] [--store FILE|postgres://…] [--queue redis://…]',
  );
  const cluster = clusterOf(values, io);
  if (cluster) return printClusterStatus(cluster, io);
  const store = openSqliteStore(storePath(values.store, io));
  try {
    const id = positionals[0];
    if (id === undefined) {
      const campaigns = await store.listCampaigns();
      if (campaigns.length === 0)
        io.stdout.write('No campaigns yet. Start one with: herald run <campaign file>\n');
      for (const c of campaigns) {
        const orphaned = isOrphaned(store, c.id, c.status);
        io.stdout.write(
          `${c.id}  ${(orphaned ? 'orphaned' : c.status).padEnd(9)}  ${c.spec.name}  (updated ${new Date(c.updatedAt).toISOString()})${orphaned ? ` — resume with: herald resume ${c.id}` : ''}\n`,
        );
      }
      return 0;
    }
    const system = new CampaignSystem({
      store,
      connectors: {
        get: () => {
          throw new HeraldError('read_only', 'status does not call platforms');
        },
      },
    });
    const report = await system.report(id);
    const orphaned = isOrphaned(store, id, report.status);
    io.stdout.write(
      `${report.campaignId}  ${orphaned ? `orphaned — resume with: herald resume ${id}` : report.status}  ${report.name}\n`,
    );
    const configuration = store.runConfiguration(id);
    if (configuration) io.stdout.write(`  runs with ${describeConfiguration(configuration)}\n`);
    const lease = store.leases.of(id);
    if (!isFinalStatus(report.status) && lease && !lease.orphaned)
      io.stdout.write(`  run by process ${String(lease.pid)} on ${lease.host}\n`);
    else if (orphaned)
      io.stdout.write(
        `  no live process runs it (${lease ? `process ${String(lease.pid)} is gone or stopped renewing its lease` : 'none ever took its lease'})\n`,
      );
    const journal = await store.journal(id);
    for (const step of report.steps) {
      const calls = journal.filter((e) => e.stepId === step.id);
      const count = (status: string) =>
        calls.filter((e) => e.status === status).reduce((n, e) => n + e.recipientIds.length, 0);
      const unknown = count('unknown');
      const r = step.result;
      const frozen = store.frozenAudience(id, step.id);
      const executing = step.status === 'pending' && (calls.length > 0 || frozen !== undefined);
      const counts = r
        ? ` — ${String(r.accepted)} accepted, ${String(unknown)} unknown, ${String(r.suppressed)} suppressed`
        : executing && frozen && frozen.length > 0
          ? ` — ${String(count('done'))} of ${String(frozen.length)} sent, ${String(unknown)} unknown, ${String(count('intent'))} in flight`
          : unknown > 0
            ? ` — ${String(unknown)} unknown`
            : '';
      io.stdout.write(
        `  ${step.id}: ${executing ? 'executing' : step.status}${counts}${step.error ? ` — ${step.error.code}: ${step.error.message}` : ''}\n`,
      );
    }
    for (const deadline of await store.listDeadlines(id)) {
      io.stdout.write(
        `  waiting until ${new Date(deadline.at).toISOString()}: ${deadline.description}\n`,
      );
    }
    const unknownRecipients = report.unknownOutcomes.reduce((n, e) => n + e.recipientIds.length, 0);
    if (report.unknownOutcomes.length > 0) {
      io.stdout.write(
        `  ${String(report.unknownOutcomes.length)} call(s) to ${String(unknownRecipients)} recipient(s) have an unknown outcome: check them on the platform before sending again\n`,
      );
    }
    for (const entry of report.unknownOutcomes) {
      io.stdout.write(
        `  unknown outcome: ${entry.platform} ${entry.action} for step ${entry.stepId}, ${String(entry.recipientIds.length)} recipient(s), key ${entry.key} — ${entry.error?.message ?? ''}\n    recipients: ${entry.recipientIds.join(' ')}\n`,
      );
    }
    return 0;
  } finally {
    await store.close();
  }
};

/** The audience and connectors of the project a campaign was launched in, opened again. */
async function projectParts(
  configuration: RunConfiguration,
  spec: CampaignSpec,
  launchedAt: number,
  io: CliIo,
): Promise<ReturnType<typeof projectRuntime>['options'] | undefined> {
  if (configuration.audience.kind !== 'project') return undefined;
  const file = configuration.audience.file;
  const project = await commandProject(io, file, launchedAt);
  if (!project)
    throw new HeraldError(
      'project_missing',
      `the campaign was launched in the project ${file}, which is no longer there; put it back to continue the campaign`,
    );
  return projectRuntime(project, spec).options;
}

/** An unfinished, unpaused campaign that no live process holds the lease of. */
function isOrphaned(store: SqliteHeraldStore, id: string, status: CampaignStatus): boolean {
  if (isFinalStatus(status) || status === 'paused') return false;
  return store.leases.of(id)?.orphaned ?? true;
}

/** `herald inspect <campaign>`: the actor tree with each actor's state, context summary and recent events. */
export const inspectCommand: Command = async (args, io) => {
  const { values, positionals } = parseCliArgs(
    args,
    { store: { type: 'string' }, events: { type: 'string', default: '30' } },
    'herald inspect <campaign> [--events N] [--store FILE]',
  );
  const id = positionals[0];
  if (id === undefined)
    throw new HeraldError('bad_arguments', 'which campaign? usage: herald inspect <campaign>');
  const events = integerFlag(values.events, 'events')!;
  const store = openSqliteStore(storePath(values.store, io));
  try {
    const envelope = await store.loadSnapshot(id);
    if (!envelope)
      throw new HeraldError(
        'unknown_campaign',
        `no campaign "${id}" in the store; list them with: herald status`,
      );
    const tree = actorTree('campaign', envelope.snapshot, await store.recentEvents(id, events));
    io.stdout.write(`${formatActorTree(tree)}\n`);
    return 0;
  } finally {
    await store.close();
  }
};

/** `herald pause|resume|cancel <campaign>`. */
export function controlCommand(command: CampaignCommand): Command {
  const usage = `herald ${command} <campaign> [--store FILE|postgres://…] [--queue redis://…] [--audience-size N] [--sandbox-url URL] [--real-time]`;
  return async (args, io) => {
    const { values, positionals } = parseCliArgs(
      args,
      { store: { type: 'string' }, queue: { type: 'string' }, ...RUN_CONFIGURATION_FLAGS },
      usage,
    );
    const id = positionals[0];
    if (id === undefined)
      throw new HeraldError('bad_arguments', `which campaign? usage: herald ${command} <campaign>`);
    const cluster = clusterOf(values, io);
    if (cluster) return controlCluster(cluster, id, command, io);
    const path = storePath(values.store, io);
    const given = givenConfiguration(values, io.env);
    const store = openSqliteStore(path);
    let runtime: EmbeddedRuntime | undefined;
    try {
      const record = await store.getCampaign(id);
      if (!record)
        throw new HeraldError(
          'unknown_campaign',
          `no campaign "${id}" in ${path}; list them with: herald status`,
        );
      if (command === 'resume' && record.status === 'completed') {
        // A crash can land after the last step: resuming what already finished is a no-op.
        io.stdout.write(
          `Campaign ${id} already completed; nothing to resume. See it with: herald status ${id}\n`,
        );
        return 0;
      }
      if (isFinalStatus(record.status)) {
        throw new HeraldError(
          'campaign_finished',
          `campaign "${id}" is ${record.status}; it cannot ${command}`,
        );
      }
      const saved = store.runConfiguration(id);
      const differences = saved ? configurationDifferences(saved, given) : [];
      if (differences.length > 0) {
        throw new HeraldError(
          'configuration_differs',
          `campaign "${id}" runs as it was launched; refusing to ${command} it with ${differences.join('; ')}. Leave those flags out to ${command} it as launched`,
        );
      }
      const configuration = saved ?? newConfiguration(given, path, record.createdAt);
      if (!saved) {
        io.stdout.write(
          `note: ${id} was launched without a saved run configuration (by the library or an older Herald); running it with ${describeConfiguration(configuration)}\n`,
        );
      }
      const claim = await claimCampaign(store, id);
      if (!('lease' in claim)) {
        await store.pushCommand(id, command, Date.now());
        io.stdout.write(
          `${id}: running in process ${String(claim.runner.pid)} on ${claim.runner.host}; ${command} sent to it\n`,
        );
        return 0;
      }
      runtime = await startEmbeddedRuntime({
        store,
        storePath: path,
        configuration,
        lease: claim.lease,
        ...(await projectParts(configuration, record.spec, record.createdAt, io)),
      });
      await runtime.system[command](id);
      io.stdout.write(`${id}: ${command} requested\n`);
      if (command === 'resume' && runtime.system.running.includes(id)) {
        return await followToTheEnd(runtime, id, path, io, {
          watchRules: record.spec.conditions.length > 0,
        });
      }
      return 0;
    } finally {
      await (runtime ? runtime.close() : store.close());
    }
  };
}
