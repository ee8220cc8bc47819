/**
 * @module
 * `openClusterClient`: what `herald run`, `herald status` and the control commands need from a
 * cluster without being a worker: submit a campaign (idempotent by id), send it a command,
 * and read the cluster's status (campaigns with their owners, queue depths, rate limits).
 */
import { checkCampaignId } from '../spec/campaign-id.js';
import { contentIssues } from '../spec/content-requirements.js';
import { campaignSlug } from '../actors/campaign-system.js';
import { HeraldError, ValidationError } from '../errors.js';
import { validateCampaign } from '../spec/validate-campaign.js';
import type { CampaignCommand, CampaignStatus } from '../store/herald-store.js';
import { listLeases } from '../store/postgres-leases.js';
import { openPostgresStore } from '../store/postgres-store.js';
import { ClusterRateLimiter, type ClusterQuotas, type QuotaState } from './cluster-rate-limiter.js';
import { enqueueCampaign, openCampaignQueue } from './campaign-queue.js';

/** Where a cluster lives. */
export interface ClusterLocation {
  /** PostgreSQL URL of the shared store. */
  readonly storeUrl: string;
  /** Redis URL of the queues and rate limits. */
  readonly queueUrl: string;
  /** @default 'herald' */
  readonly schema?: string;
  /** @default 'herald' */
  readonly prefix?: string;
  /** Quotas whose state `status` reports. @default DEFAULT_CLUSTER_QUOTAS */
  readonly quotas?: ClusterQuotas;
}

/** Result of a submission. */
export interface Submission {
  readonly campaignId: string;
  /** False when the campaign was already submitted (nothing new was queued to run it twice). */
  readonly created: boolean;
}

/** One campaign as the cluster sees it. */
export interface ClusterCampaign {
  readonly id: string;
  readonly name: string;
  readonly status: CampaignStatus;
  /** Worker holding a live lease on it. */
  readonly owner?: string;
  readonly fencingToken?: number;
  /** Epoch ms (database clock) the lease lapses unless renewed. */
  readonly leaseExpiresAt?: number;
}

/** A snapshot of the cluster. */
export interface ClusterStatus {
  readonly campaigns: readonly ClusterCampaign[];
  /** Workers holding at least one live lease, with their campaigns. */
  readonly workers: Readonly<Record<string, readonly string[]>>;
  /** Jobs of the campaigns queue by state (waiting, active, delayed…). */
  readonly queue: Readonly<Record<string, number>>;
  readonly rateLimits: readonly QuotaState[];
}

/** A connection to a cluster. */
export interface ClusterClient {
  /**
   * Stores the campaign under `id` (validated; the same spec again is a no-op, a different
   * one throws `campaign_exists`) and queues it for a worker.
   */
  submit(spec: unknown, options?: { id?: string }): Promise<Submission>;
  /** Queues a pause, resume or cancel for whichever worker runs (or will run) the campaign. */
  control(campaignId: string, command: CampaignCommand): Promise<void>;
  status(): Promise<ClusterStatus>;
  close(): Promise<void>;
}

/**
 * Connects to a cluster's store and queue.
 * @example
 * const cluster = await openClusterClient({ storeUrl, queueUrl });
 * await cluster.submit(spec, { id: 'spring-sale' });
 * await cluster.close();
 */
export async function openClusterClient(location: ClusterLocation): Promise<ClusterClient> {
  const store = await openPostgresStore(location.storeUrl, {
    maxConnections: 2,
    ...(location.schema ? { schema: location.schema } : {}),
  });
  const prefix = location.prefix ?? 'herald';
  const { queue, connection } = openCampaignQueue({ queueUrl: location.queueUrl, prefix });
  const limiter = new ClusterRateLimiter({
    url: location.queueUrl,
    prefix,
    ...(location.quotas ? { quotas: location.quotas } : {}),
  });

  return {
    async submit(spec, options = {}) {
      const validated = validateCampaign(spec);
      if (!validated.success) throw new ValidationError('the campaign spec', validated.error);
      const missing = contentIssues(validated.data);
      if (missing.length > 0) throw new ValidationError('the campaign spec', missing);
      const now = Date.now();
      const campaignId =
        options.id === undefined
          ? `${campaignSlug(validated.data.name)}-${now.toString(36)}`
          : checkCampaignId(options.id);
      const created = await store.createCampaign({
        id: campaignId,
        spec: validated.data,
        status: 'draft',
        createdAt: now,
        updatedAt: now,
      });
      // Queued even when it existed: a job id per campaign makes this a no-op while queued.
      await enqueueCampaign(queue, { campaignId, reason: 'submitted' });
      return { campaignId, created };
    },
    async control(campaignId, command) {
      const record = await store.getCampaign(campaignId);
      if (!record) {
        throw new HeraldError('unknown_campaign', `no campaign "${campaignId}" in the store`);
      }
      await store.pushCommand(campaignId, command, Date.now());
      await enqueueCampaign(queue, { campaignId, reason: 'command' }, { tag: String(Date.now()) });
    },
    async status() {
      const leases = new Map(
        (await listLeases(store)).filter((l) => !l.expired).map((l) => [l.campaignId, l]),
      );
      const campaigns = (await store.listCampaigns()).map((c): ClusterCampaign => {
        const lease = leases.get(c.id);
        return {
          id: c.id,
          name: c.spec.name,
          status: c.status,
          ...(lease
            ? {
                owner: lease.owner,
                fencingToken: lease.fencingToken,
                leaseExpiresAt: lease.expiresAt,
              }
            : {}),
        };
      });
      const workers: Record<string, string[]> = {};
      for (const lease of leases.values()) (workers[lease.owner] ??= []).push(lease.campaignId);
      return {
        campaigns,
        workers,
        queue: await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed'),
        rateLimits: await limiter.state(),
      };
    },
    async close() {
      await queue.close();
      await limiter.close();
      await connection.quit().catch(() => undefined);
      await store.close();
    },
  };
}

/**
 * Submits one campaign to a cluster and disconnects (what `herald run --store postgres://…
 * --queue redis://…` does).
 * @example
 * const { campaignId } = await submitCampaign(spec, { storeUrl, queueUrl, id: 'spring-sale' });
 */
export async function submitCampaign(
  spec: unknown,
  options: ClusterLocation & { readonly id?: string },
): Promise<Submission> {
  const client = await openClusterClient(options);
  try {
    return await client.submit(spec, options.id === undefined ? {} : { id: options.id });
  } finally {
    await client.close();
  }
}

/**
 * Reads a cluster's status and disconnects (what `herald status` shows in cluster mode).
 * @example
 * const { campaigns, workers, queue, rateLimits } = await clusterStatus({ storeUrl, queueUrl });
 */
export async function clusterStatus(location: ClusterLocation): Promise<ClusterStatus> {
  const client = await openClusterClient(location);
  try {
    return await client.status();
  } finally {
    await client.close();
  }
}
