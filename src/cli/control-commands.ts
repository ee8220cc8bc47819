/**
 * @module
 * `herald status`, `herald inspect`, `herald pause|resume|cancel <campaign>`: act on the
 * campaigns in the store. Pause and cancel reach a campaign another `herald` process is
 * running through the store's command queue; resume runs the campaign on in this process.
 */
import { actorTree, formatActorTree } from '../actors/actor-tree.js';
import { CampaignSystem } from '../actors/campaign-system.js';
import { HeraldError } from '../errors.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import type { CampaignCommand } from '../store/herald-store.js';
import type { Command } from './cli-io.js';
import { integerFlag, parseCliArgs, storePath } from './cli-options.js';
import { clusterOf, controlCluster, printClusterStatus } from './cluster-commands.js';
import { startEmbeddedRuntime } from './embedded-runtime.js';

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
        io.stdout.write(
          `${c.id}  ${c.status.padEnd(9)}  ${c.spec.name}  (updated ${new Date(c.updatedAt).toISOString()})\n`,
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
    io.stdout.write(`${report.campaignId}  ${report.status}  ${report.name}\n`);
    for (const step of report.steps) {
      const r = step.result;
      io.stdout.write(
        `  ${step.id}: ${step.status}${r ? ` — ${String(r.accepted)} accepted, ${String(r.unknown)} unknown, ${String(r.suppressed)} suppressed` : ''}${step.error ? ` — ${step.error.code}: ${step.error.message}` : ''}\n`,
      );
    }
    for (const deadline of await store.listDeadlines(id)) {
      io.stdout.write(
        `  waiting until ${new Date(deadline.at).toISOString()}: ${deadline.description}\n`,
      );
    }
    for (const entry of report.unknownOutcomes) {
      io.stdout.write(
        `  unknown outcome: ${entry.platform} ${entry.action} for step ${entry.stepId}, ${String(entry.recipientIds.length)} recipient(s), key ${entry.key} — ${entry.error?.message ?? ''}\n`,
      );
    }
    return 0;
  } finally {
    await store.close();
  }
};

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
  return async (args, io) => {
    const { values, positionals } = parseCliArgs(
      args,
      { store: { type: 'string' }, queue: { type: 'string' } },
      `herald ${command} <campaign> [--store FILE|postgres://…] [--queue redis://…]`,
    );
    const id = positionals[0];
    if (id === undefined)
      throw new HeraldError('bad_arguments', `which campaign? usage: herald ${command} <campaign>`);
    const cluster = clusterOf(values, io);
    if (cluster) return controlCluster(cluster, id, command, io);
    const runtime = await startEmbeddedRuntime({
      storePath: storePath(values.store, io),
    });
    try {
      await runtime.system[command](id);
      io.stdout.write(`${id}: ${command} requested\n`);
      if (command === 'resume' && runtime.system.running.includes(id)) {
        const report = await runtime.system.settled(id);
        io.stdout.write(`${id}: ${report.status}\n`);
      }
      return 0;
    } finally {
      await runtime.close();
    }
  };
}
