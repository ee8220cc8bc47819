/**
 * The cluster mode against the sandbox: messages sent per second with 1, 2 and 4 worker
 * processes, and the extra latency one journaled send pays in distributed mode (PostgreSQL
 * journal behind a lease check, Redis rate grant, lease re-check before the request) against
 * the embedded mode (SQLite), measured in the same run as intent-to-settle time of each call.
 *
 * Quotas: the sandbox enforces SendGrid's 600 requests/min per API key and the SendGrid
 * connector keeps the same limit per process, so each worker gets its own API key (its own
 * sandbox lane) and the cluster-wide limiter is given no quotas: each worker is then capped at
 * 10 calls/s (10,000 messages/s), which the figures should be read against.
 * Needs PostgreSQL and Redis (HERALD_POSTGRES_URL / HERALD_REDIS_URL or the local defaults).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { staticAudience } from '../src/actors/audience-resolver.js';
import { unsafeNoComplianceGate } from '../src/actors/delivery-gate.js';
import { CampaignSystem } from '../src/actors/campaign-system.js';
import { openClusterClient } from '../src/cluster/cluster-client.js';
import { ClusterWorker } from '../src/cluster/cluster-worker.js';
import { createConnectorRegistry } from '../src/connectors/connector-registry.js';
import { SANDBOX_CREDENTIALS } from '../src/sandbox/sandbox-credentials.js';
import { startSandbox, type Sandbox } from '../src/sandbox/start-sandbox.js';
import type { CampaignSpecInput } from '../src/spec/campaign-schema.js';
import { isFinalStatus, type JournalEntry } from '../src/store/herald-store.js';
import { openPostgresStore } from '../src/store/postgres-store.js';
import { openSqliteStore } from '../src/store/sqlite-store.js';
import { clusterNamespace } from '../test/cluster/cluster-fixture.js';
import { spawnWorker, stopWorker } from '../test/cluster/worker-processes.js';
import { crashRecipients, crashSpec } from '../test/crash/crash-campaign.js';
import { serviceUrl } from '../test/services.js';

const CAMPAIGNS = 8;
const RECIPIENTS = 10_000;
/** Five batches: within the connector's burst, so latency runs never wait for the limiter. */
const LATENCY_RECIPIENTS = 5_000;
const LATENCY_RUNS = 6;

const latencySpec: CampaignSpecInput = {
  name: 'Latency',
  audience: { segment: 'all' },
  steps: [
    { id: 'one', platform: 'email', action: 'email', content: { subject: 'Hi', html: '<p>x</p>' } },
  ],
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function callMs(journal: readonly JournalEntry[]): number[] {
  return journal.filter((e) => e.settledAt !== undefined).map((e) => e.settledAt! - e.intentAt);
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

async function embeddedLatency(sandbox: Sandbox): Promise<number[]> {
  const dir = await mkdtemp(join(tmpdir(), 'herald-bench-'));
  const store = openSqliteStore(join(dir, 'herald.db'));
  const system = new CampaignSystem({
    store,
    connectors: createConnectorRegistry({ env: SANDBOX_CREDENTIALS, sandbox: sandbox.urls }),
    audience: staticAudience(crashRecipients(LATENCY_RECIPIENTS)),
    gate: unsafeNoComplianceGate,
  });
  const samples: number[] = [];
  for (let run = 0; run < LATENCY_RUNS; run++) {
    const id = await system.launch(latencySpec, { id: `embedded-${String(run)}` });
    await system.settled(id);
    samples.push(...callMs(await store.journal(id)));
    await sleep(1_000);
  }
  await system.stop();
  await store.close();
  return samples;
}

async function distributedLatency(sandbox: Sandbox, storeUrl: string, queueUrl: string) {
  const ns = clusterNamespace('benchlat', storeUrl, queueUrl);
  const location = { storeUrl, queueUrl, schema: ns.schema, prefix: ns.prefix };
  const worker = await ClusterWorker.start({
    ...location,
    audience: staticAudience(crashRecipients(LATENCY_RECIPIENTS)),
    gate: unsafeNoComplianceGate,
    connectors: {
      env: { ...SANDBOX_CREDENTIALS, SENDGRID_API_KEY: 'SG.bench-latency' },
      sandbox: sandbox.urls,
    },
  });
  const client = await openClusterClient(location);
  const store = await openPostgresStore(storeUrl, { schema: ns.schema });
  const samples: number[] = [];
  const endToEnd: number[] = [];
  try {
    for (let run = 0; run < LATENCY_RUNS; run++) {
      const id = `distributed-${String(run)}`;
      const started = performance.now();
      await client.submit(latencySpec, { id });
      while (!isFinalStatus((await store.getCampaign(id))!.status)) await sleep(5);
      endToEnd.push(performance.now() - started);
      samples.push(...callMs(await store.journal(id)));
      await sleep(1_000);
    }
  } finally {
    await store.close();
    await client.close();
    await worker.stop();
    await ns.drop();
  }
  return { samples, endToEnd };
}

async function throughput(workers: number, sandbox: Sandbox, storeUrl: string, queueUrl: string) {
  const ns = clusterNamespace(`bench${String(workers)}`, storeUrl, queueUrl);
  const location = { storeUrl, queueUrl, schema: ns.schema, prefix: ns.prefix };
  const before = sandbox.deliveries('sendgrid').length;
  const processes = await Promise.all(
    Array.from({ length: workers }, (_, i) =>
      spawnWorker({
        ...location,
        sandbox: sandbox.urls,
        recipients: RECIPIENTS,
        leaseTtlMs: 10_000,
        // An even share each, as an operator sizes it; BullMQ hands jobs to whoever asks first.
        concurrency: Math.ceil(CAMPAIGNS / workers),
        quotas: {},
        owner: `bench-${String(workers)}-${String(i)}`,
        apiKey: `SG.bench-${String(workers)}-${String(i)}`,
      }),
    ),
  );
  const client = await openClusterClient(location);
  try {
    const started = performance.now();
    const ids = Array.from({ length: CAMPAIGNS }, (_, i) => `t${String(i)}`);
    await Promise.all(ids.map((id) => client.submit(crashSpec, { id })));
    for (;;) {
      const { campaigns } = await client.status();
      if (campaigns.every((c) => isFinalStatus(c.status))) break;
      await sleep(100);
    }
    const seconds = (performance.now() - started) / 1000;
    const delivered = sandbox.deliveries('sendgrid').length - before;
    const perWorker = processes.map((p) => p.events.filter((e) => e.type === 'taken').length);
    return {
      workers,
      messages: delivered,
      seconds: round(seconds),
      messagesPerSecond: Math.round(delivered / seconds),
      callsPerSecond: round(delivered / 1000 / seconds),
      campaignsPerWorker: perWorker,
    };
  } finally {
    await client.close();
    await Promise.all(processes.map((p) => stopWorker(p)));
    await ns.drop();
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Runs the cluster bench; see the module comment. */
export default async function clusterBench(): Promise<Record<string, unknown>> {
  const storeUrl = await serviceUrl('postgres');
  const queueUrl = await serviceUrl('redis');
  if (!storeUrl || !queueUrl) return { skipped: 'PostgreSQL or Redis is not reachable' };
  const sandbox = await startSandbox({ platforms: ['sendgrid'] });
  try {
    const embedded = await embeddedLatency(sandbox);
    const distributed = await distributedLatency(sandbox, storeUrl, queueUrl);
    const scaling = [];
    for (const workers of [1, 2, 4])
      scaling.push(await throughput(workers, sandbox, storeUrl, queueUrl));
    const embeddedMedian = percentile(embedded, 0.5);
    const distributedMedian = percentile(distributed.samples, 0.5);
    return {
      workload: `${String(CAMPAIGNS)} campaigns × ${String(RECIPIENTS)} recipients × 2 e-mails (1,000 per call)`,
      quotas:
        'cluster limiter off; one API key (sandbox lane) per worker; each worker still capped at 600 calls/min by the SendGrid connector',
      scaling,
      sendLatency: {
        what: 'journal intent → settle per 1,000-recipient call, ms',
        calls: { embedded: embedded.length, distributed: distributed.samples.length },
        embedded: { median: embeddedMedian, p95: percentile(embedded, 0.95) },
        distributed: {
          median: distributedMedian,
          p95: percentile(distributed.samples, 0.95),
        },
        ratio: round(distributedMedian / embeddedMedian),
        distributedSubmitToCompletedMs: {
          median: Math.round(percentile(distributed.endToEnd, 0.5)),
          of: `${String(LATENCY_RECIPIENTS / 1000)} calls`,
        },
      },
      cores: (await import('node:os')).availableParallelism(),
    };
  } finally {
    await sandbox.close();
  }
}
