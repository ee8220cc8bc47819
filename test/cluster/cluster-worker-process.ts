/**
 * A cluster worker process for the cluster tests and bench: runs a `ClusterWorker` against
 * the sandbox until SIGTERM, giving every campaign the crash test's recipients, and prints each
 * worker event as one JSON line.
 * Usage: node --import tsx cluster-worker-process.ts <config-json>
 */
import { staticAudience } from '../../src/actors/audience-resolver.js';
import { unsafeNoComplianceGate } from '../../src/actors/delivery-gate.js';
import { ClusterWorker } from '../../src/cluster/cluster-worker.js';
import type { ClusterQuotas } from '../../src/cluster/cluster-rate-limiter.js';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/sandbox-credentials.js';
import { crashRecipients } from '../crash/crash-campaign.js';

/** What the parent passes. */
export interface WorkerProcessConfig {
  readonly storeUrl: string;
  readonly schema: string;
  readonly queueUrl: string;
  readonly prefix: string;
  readonly sandbox: Record<string, string>;
  readonly recipients: number;
  readonly leaseTtlMs: number;
  readonly concurrency: number;
  readonly quotas?: ClusterQuotas;
  readonly owner: string;
  /** SendGrid key of this worker (the sandbox keeps one quota lane per key). @default the sandbox key */
  readonly apiKey?: string;
}

const config = JSON.parse(process.argv[2]!) as WorkerProcessConfig;
const worker = await ClusterWorker.start({
  storeUrl: config.storeUrl,
  schema: config.schema,
  queueUrl: config.queueUrl,
  prefix: config.prefix,
  owner: config.owner,
  leaseTtlMs: config.leaseTtlMs,
  concurrency: config.concurrency,
  ...(config.quotas ? { quotas: config.quotas } : {}),
  audience: staticAudience(crashRecipients(config.recipients)),
  gate: unsafeNoComplianceGate,
  connectors: {
    env: {
      ...SANDBOX_CREDENTIALS,
      ...(config.apiKey ? { SENDGRID_API_KEY: config.apiKey } : {}),
    },
    sandbox: config.sandbox,
  },
  onEvent: (event) => process.stdout.write(`${JSON.stringify({ ...event, at: Date.now() })}\n`),
});
process.stdout.write(`${JSON.stringify({ type: 'ready', owner: worker.owner })}\n`);
process.on('SIGTERM', () => {
  worker.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${JSON.stringify({ type: 'stop_failed', detail: String(error) })}\n`);
      process.exit(1);
    },
  );
});
