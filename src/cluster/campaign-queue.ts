/**
 * @module
 * The `campaigns` BullMQ queue: each job says "campaign X is ready to run" (submitted, a
 * deadline came due, or its owner stopped renewing its lease). Job ids are derived from the
 * campaign and the reason, so the same wake-up added twice is queued once.
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';

/** Name of the queue of campaign jobs. */
export const CAMPAIGN_QUEUE = 'campaigns';

/** Why a campaign job was queued. */
export type CampaignJobReason = 'submitted' | 'deadline' | 'orphaned' | 'command';

/** Payload of a campaign job. */
export interface CampaignJob {
  readonly campaignId: string;
  readonly reason: CampaignJobReason;
}

/** Where the cluster's queues live. */
export interface QueueLocation {
  /** Redis URL, e.g. `redis://127.0.0.1:6379`. */
  readonly queueUrl: string;
  /** Key prefix, so several clusters (or tests) can share one Redis. @default 'herald' */
  readonly prefix?: string;
}

/** A Redis connection as BullMQ needs it (no per-command retry limit). */
export function redisConnection(url: string): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null });
  redis.on('error', () => undefined);
  return redis;
}

/** Opens the campaign queue (close it with `queue.close()` and its connection with `quit`). */
export function openCampaignQueue(location: QueueLocation): {
  queue: Queue<CampaignJob>;
  connection: Redis;
} {
  const connection = redisConnection(location.queueUrl);
  const queue = new Queue<CampaignJob>(CAMPAIGN_QUEUE, {
    connection,
    prefix: location.prefix ?? 'herald',
  });
  queue.on('error', () => undefined);
  return { queue, connection };
}

/**
 * Queues a campaign job; `delayMs` makes it a delayed job (a timeline deadline), `tag` keeps
 * distinct wake-ups of one campaign apart.
 */
export async function enqueueCampaign(
  queue: Queue<CampaignJob>,
  job: CampaignJob,
  options: { delayMs?: number; tag?: string } = {},
): Promise<void> {
  const parts = [job.reason, job.campaignId, ...(options.tag === undefined ? [] : [options.tag])];
  await queue.add(job.reason, job, {
    jobId: parts.map((p) => encodeURIComponent(p)).join('__'),
    ...(options.delayMs && options.delayMs > 0 ? { delay: Math.ceil(options.delayMs) } : {}),
    removeOnComplete: true,
    removeOnFail: true,
  });
}
