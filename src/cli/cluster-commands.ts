/**
 * @module
 * The `herald` commands in cluster mode — a PostgreSQL store (`--store postgres://…` or
 * `HERALD_STORE_URL`) and a Redis queue (`--queue redis://…` or `HERALD_QUEUE_URL`): submit a
 * campaign to the workers, show the cluster, and queue control commands for whichever worker
 * owns a campaign.
 */
import {
  clusterStatus,
  openClusterClient,
  submitCampaign,
  type ClusterLocation,
} from '../cluster/cluster-client.js';
import { ConfigurationError } from '../errors.js';
import type { CampaignSpec } from '../spec/campaign-schema.js';
import { isPostgresUrl } from '../store/open-store.js';
import type { CampaignCommand } from '../store/herald-store.js';
import type { CliIo } from './cli-io.js';

/**
 * The cluster a command addresses, or undefined for the embedded default; a PostgreSQL store
 * without a queue is refused. `HERALD_STORE_SCHEMA`
 * and `HERALD_QUEUE_PREFIX` keep several clusters apart on one PostgreSQL and Redis.
 */
export function clusterOf(
  values: { store?: string | undefined; queue?: string | undefined },
  io: CliIo,
): ClusterLocation | undefined {
  const storeUrl = values.store ?? io.env?.HERALD_STORE_URL;
  const queueUrl = values.queue ?? io.env?.HERALD_QUEUE_URL;
  if (storeUrl === undefined || !isPostgresUrl(storeUrl)) return undefined;
  if (queueUrl === undefined) {
    throw new ConfigurationError(
      'queue_url_required',
      'a postgres:// store is the cluster mode: pass --queue redis://… or set HERALD_QUEUE_URL',
    );
  }
  const schema = io.env?.HERALD_STORE_SCHEMA;
  const prefix = io.env?.HERALD_QUEUE_PREFIX;
  return { storeUrl, queueUrl, ...(schema ? { schema } : {}), ...(prefix ? { prefix } : {}) };
}

/** `herald run` in cluster mode: stores the campaign and queues it for the workers. */
export async function submitToCluster(
  spec: CampaignSpec,
  id: string | undefined,
  cluster: ClusterLocation,
  io: CliIo,
): Promise<number> {
  const { campaignId, created } = await submitCampaign(spec, {
    ...cluster,
    ...(id === undefined ? {} : { id }),
  });
  io.stdout.write(
    created
      ? `Submitted ${campaignId} to the cluster; a worker will run it. Follow it with: herald status --store … --queue …\n`
      : `${campaignId} was already submitted; it runs once.\n`,
  );
  return 0;
}

/** `herald status` in cluster mode: campaigns with their owners, queue depths and rate limits. */
export async function printClusterStatus(cluster: ClusterLocation, io: CliIo): Promise<number> {
  const status = await clusterStatus(cluster);
  for (const c of status.campaigns) {
    const owner =
      c.owner === undefined ? 'no owner' : `owned by ${c.owner} (token ${String(c.fencingToken)})`;
    io.stdout.write(`${c.id}  ${c.status.padEnd(9)}  ${c.name}  ${owner}\n`);
  }
  io.stdout.write(
    `queue: ${Object.entries(status.queue)
      .map(([state, n]) => `${state} ${String(n)}`)
      .join(', ')}\n`,
  );
  for (const limit of status.rateLimits) io.stdout.write(`rate limit: ${JSON.stringify(limit)}\n`);
  return 0;
}

/** `herald pause|resume|cancel` in cluster mode: queued for the worker that runs the campaign. */
export async function controlCluster(
  cluster: ClusterLocation,
  id: string,
  command: CampaignCommand,
  io: CliIo,
): Promise<number> {
  const client = await openClusterClient(cluster);
  try {
    await client.control(id, command);
    io.stdout.write(`${id}: ${command} queued for the cluster\n`);
    return 0;
  } finally {
    await client.close();
  }
}
