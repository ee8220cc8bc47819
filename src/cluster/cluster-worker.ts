/**
 * @module
 * `ClusterWorker`: one process of the cluster mode. It consumes the `campaigns` BullMQ queue;
 * for each job it takes the campaign's lease in PostgreSQL (compare-and-set), runs the
 * campaign with an unchanged `CampaignSystem` over a fenced, campaign-scoped view of the store
 * and connectors limited cluster-wide, renews the lease while it runs, and releases it when
 * the campaign settles or pauses. A job stays active while its campaign runs, so BullMQ
 * balances campaigns across workers and re-queues those of a worker that died; a sweeper also
 * re-queues any unfinished campaign whose lease lapsed, and timeline deadlines become delayed
 * jobs.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { Worker, type Job, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { AudienceResolver } from '../actors/audience-resolver.js';
import type { DeliveryGate } from '../actors/delivery-gate.js';
import { CampaignSystem } from '../actors/campaign-system.js';
import type { ConnectorRegistryOptions } from '../connectors/connector-registry.js';
import type { Clock } from '../schedule/clock.js';
import { isFinalStatus, type CampaignCommand } from '../store/herald-store.js';
import {
  acquireLease,
  holdsLease,
  markDispatch,
  releaseLease,
  renewLease,
  wasDispatched,
  type Lease,
} from '../store/postgres-leases.js';
import { openPostgresStore, type PostgresStore } from '../store/postgres-store.js';
import { createClusterConnectors, type ClusterConnectors } from './cluster-connectors.js';
import { ClusterRateLimiter, type ClusterQuotas } from './cluster-rate-limiter.js';
import {
  CAMPAIGN_QUEUE,
  enqueueCampaign,
  openCampaignQueue,
  redisConnection,
  type CampaignJob,
} from './campaign-queue.js';
import { fencedStore, leaseLostError } from './fenced-store.js';

/** Options of {@link ClusterWorker.start}. */
export interface ClusterWorkerOptions {
  /** PostgreSQL URL of the shared store. */
  readonly storeUrl: string;
  /** Redis URL of the queues and rate limits. */
  readonly queueUrl: string;
  /** Schema of the store. @default 'herald' */
  readonly schema?: string;
  /** Prefix of queue and rate-limit keys. @default 'herald' */
  readonly prefix?: string;
  /** Resolves audiences of recipient steps. @default none: such steps fail */
  readonly audience?: AudienceResolver;
  /** The compliance gate of every batch. @default the compliance gate over `audience.subjectOf` */
  readonly gate?: DeliveryGate;
  /** How connectors are built (credentials, sandbox URLs, retry). @default {} */
  readonly connectors?: ConnectorRegistryOptions;
  /** Cluster-wide quotas per platform. @default DEFAULT_CLUSTER_QUOTAS */
  readonly quotas?: ClusterQuotas;
  /** Slack between a rate grant and the request's arrival, ms. @default 1_000 */
  readonly rateMarginMs?: number;
  /** Lease length; a dead worker's campaigns move after about this long. @default 30_000 */
  readonly leaseTtlMs?: number;
  /** Campaigns run at once by this worker. @default 10 */
  readonly concurrency?: number;
  /** This worker's name in leases. @default `<host>-<pid>-<random>` */
  readonly owner?: string;
  /** @default systemClock */
  readonly clock?: Clock;
  /** Called when this worker takes, finishes, pauses or loses a campaign. */
  readonly onEvent?: (event: WorkerEvent) => void;
}

/** What a worker did with a campaign. */
export interface WorkerEvent {
  readonly type: 'taken' | 'settled' | 'paused' | 'lost' | 'stopped' | 'busy' | 'error';
  readonly campaignId: string;
  readonly fencingToken?: number;
  readonly detail?: string;
}

type Outcome = 'settled' | 'paused' | 'lost' | 'stopped';

interface Running {
  readonly lease: Lease;
  readonly system: CampaignSystem;
  readonly finish: (outcome: Outcome) => void;
}

/**
 * A campaign worker of the cluster mode.
 * @example
 * const worker = await ClusterWorker.start({ storeUrl, queueUrl, audience, connectors: { env } });
 * process.on('SIGTERM', () => void worker.stop());
 */
export class ClusterWorker {
  /** This worker's name in leases. */
  readonly owner: string;
  readonly #options: ClusterWorkerOptions;
  readonly #store: PostgresStore;
  readonly #limiter: ClusterRateLimiter;
  readonly #connectors: ClusterConnectors;
  readonly #queue: Queue<CampaignJob>;
  readonly #queueConnection: Redis;
  readonly #workerConnection: Redis;
  readonly #worker: Worker<CampaignJob>;
  readonly #running = new Map<string, Running | 'starting'>();
  readonly #ttl: number;
  #sweeper: NodeJS.Timeout | undefined;
  #stopping = false;

  private constructor(options: ClusterWorkerOptions, store: PostgresStore) {
    this.#options = options;
    this.#store = store;
    this.#ttl = options.leaseTtlMs ?? 30_000;
    this.owner =
      options.owner ?? `${hostname()}-${String(process.pid)}-${randomUUID().slice(0, 8)}`;
    const prefix = options.prefix ?? 'herald';
    this.#limiter = new ClusterRateLimiter({
      url: options.queueUrl,
      prefix,
      ...(options.quotas ? { quotas: options.quotas } : {}),
      ...(options.rateMarginMs === undefined ? {} : { marginMs: options.rateMarginMs }),
    });
    this.#connectors = createClusterConnectors(
      { ...options.connectors, ...(options.clock ? { clock: options.clock } : {}) },
      this.#limiter,
    );
    const { queue, connection } = openCampaignQueue({ queueUrl: options.queueUrl, prefix });
    this.#queue = queue;
    this.#queueConnection = connection;
    this.#workerConnection = redisConnection(options.queueUrl);
    this.#worker = new Worker<CampaignJob>(CAMPAIGN_QUEUE, (job) => this.#process(job), {
      connection: this.#workerConnection,
      prefix,
      concurrency: options.concurrency ?? 10,
      lockDuration: this.#ttl,
      stalledInterval: this.#ttl,
      maxStalledCount: Number.MAX_SAFE_INTEGER,
    });
    this.#worker.on('error', (error) => {
      this.#emit({ type: 'error', campaignId: '', detail: error.message });
    });
  }

  /** Connects to the store (migrating it) and the queue, and starts taking campaigns. */
  static async start(options: ClusterWorkerOptions): Promise<ClusterWorker> {
    const store = await openPostgresStore(options.storeUrl, {
      ...(options.schema ? { schema: options.schema } : {}),
      maxConnections: 20,
      // A frozen worker's open transaction must not pin its lease rows past the lease.
      transactionTimeoutMs: options.leaseTtlMs ?? 30_000,
    });
    const worker = new ClusterWorker(options, store);
    worker.#sweeper = setInterval(() => void worker.sweep().catch(() => undefined), worker.#ttl);
    return worker;
  }

  /** Campaigns this worker runs now. */
  get running(): string[] {
    return [...this.#running.keys()];
  }

  /**
   * Queues every unfinished campaign that no live worker holds (and paused ones with a
   * pending command); returns their ids. Runs every lease length on its own.
   */
  async sweep(): Promise<string[]> {
    const { rows } = await this.#store.query<{ id: string; paused: boolean }>(
      `SELECT c.id, c.status = 'paused' AS paused FROM campaigns c
       LEFT JOIN leases l ON l.campaign_id = c.id
       WHERE c.status NOT IN ('completed', 'failed', 'cancelled')
         AND (l.campaign_id IS NULL OR l.expires_at <= clock_timestamp())
         AND (c.status <> 'paused' OR EXISTS (SELECT 1 FROM commands m WHERE m.campaign_id = c.id))`,
    );
    for (const row of rows) {
      await enqueueCampaign(this.#queue, {
        campaignId: row.id,
        reason: row.paused ? 'command' : 'orphaned',
      });
    }
    return rows.map((r) => r.id);
  }

  /** Stops taking jobs, stops every campaign (persisting it) and releases their leases. */
  async stop(): Promise<void> {
    this.#stopping = true;
    clearInterval(this.#sweeper);
    for (const running of this.#running.values()) {
      if (running !== 'starting') running.finish('stopped');
    }
    await this.#worker.close();
    await this.#queue.close();
    await this.#limiter.close();
    await this.#queueConnection.quit().catch(() => undefined);
    await this.#workerConnection.quit().catch(() => undefined);
    await this.#store.close();
  }

  async #process(job: Job<CampaignJob>): Promise<string> {
    const id = job.data.campaignId;
    if (this.#stopping || this.#running.has(id)) return 'busy';
    this.#running.set(id, 'starting');
    try {
      return await this.#run(id);
    } catch (error) {
      this.#emit({
        type: 'error',
        campaignId: id,
        detail: error instanceof Error ? error.message : String(error),
      });
      throw error;
    } finally {
      this.#running.delete(id);
    }
  }

  async #run(id: string): Promise<Outcome | 'busy' | 'finished'> {
    const lease = await acquireLease(this.#store, id, this.owner, this.#ttl);
    if (!lease) {
      this.#emit({ type: 'busy', campaignId: id });
      return 'busy';
    }
    const record = await this.#store.getCampaign(id);
    if (!record || isFinalStatus(record.status)) {
      await releaseLease(this.#store, lease);
      return 'finished';
    }
    let resolveOutcome!: (outcome: Outcome) => void;
    const outcome = new Promise<Outcome>((resolve) => (resolveOutcome = resolve));
    // Once the campaign ends here (settled, paused, lost, stopping), calls still in flight
    // must not reach the platform: the next owner decides about them.
    let active = true;
    const finish = (ended: Outcome): void => {
      active = false;
      resolveOutcome(ended);
    };
    const store = fencedStore(this.#store, lease, {
      onLost: () => {
        finish('lost');
      },
      onDeadline: (deadline) => {
        void enqueueCampaign(
          this.#queue,
          { campaignId: id, reason: 'deadline' },
          { delayMs: deadline.at - Date.now(), tag: `${deadline.key}@${String(deadline.at)}` },
        ).catch(() => undefined);
      },
    });
    const commands =
      record.status === 'paused'
        ? await store.takeCommands([id])
        : ([] as { command: CampaignCommand }[]);
    if (record.status === 'paused' && !commands.some((c) => c.command !== 'pause')) {
      await releaseLease(this.#store, lease);
      return 'paused';
    }
    const system = new CampaignSystem({
      store,
      connectors: this.#connectors.forCampaign({
        stillHeld: async () => active && (await holdsLease(this.#store, lease)),
        dispatch: async (key) => active && (await markDispatch(this.#store, lease, key)),
        dispatched: (key) => wasDispatched(this.#store, key),
        lost: () => leaseLostError(lease),
      }),
      ...(this.#options.audience ? { audience: this.#options.audience } : {}),
      ...(this.#options.gate ? { gate: this.#options.gate } : {}),
      ...(this.#options.clock ? { clock: this.#options.clock } : {}),
    });
    this.#running.set(id, { lease, system, finish });
    this.#emit({ type: 'taken', campaignId: id, fencingToken: lease.fencingToken });
    const renew = setInterval(() => {
      void renewLease(this.#store, lease, this.#ttl).then(
        (held) => {
          if (!held) finish('lost');
        },
        () => undefined,
      );
    }, this.#ttl / 3);
    let status = record.status;
    let ready = false;
    const subscription = system.events.subscribe((event) => {
      if (event.type !== 'campaign.status') return;
      status = event.status;
      if (status === 'paused' && ready) finish('paused');
    });
    try {
      await system.resumeAll();
      for (const { command } of commands) await system[command](id);
      ready = true;
      if (status === 'paused') finish('paused');
      void system.settled(id).then(
        () => {
          finish('settled');
        },
        () => {
          finish('settled');
        },
      );
      const ended = await outcome;
      this.#emit({ type: ended, campaignId: id, fencingToken: lease.fencingToken });
      return ended;
    } catch (error) {
      finish('stopped');
      throw error;
    } finally {
      clearInterval(renew);
      subscription.unsubscribe();
      await system.stop();
      if ((await outcome) !== 'lost') await releaseLease(this.#store, lease);
    }
  }

  #emit(event: WorkerEvent): void {
    this.#options.onEvent?.(event);
  }
}
