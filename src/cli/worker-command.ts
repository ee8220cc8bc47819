/**
 * @module
 * `herald worker`: one worker of the cluster mode. It takes campaigns from the Redis queue
 * (`--queue`, else `HERALD_QUEUE_URL`), keeps their state in PostgreSQL (`--store`, else
 * `HERALD_STORE_URL`), prints what it takes and settles, and runs until interrupted, then
 * hands its campaigns back.
 */
import { profileAudience } from '../actors/profile-audience.js';
import { ClusterWorker, type WorkerEvent } from '../cluster/cluster-worker.js';
import { ConfigurationError } from '../errors.js';
import { sandboxAudience } from '../sandbox/sandbox-audience.js';
import { SANDBOX_CREDENTIALS } from '../sandbox/sandbox-credentials.js';
import { startSandbox, type Sandbox } from '../sandbox/start-sandbox.js';
import { isPostgresUrl } from '../store/open-store.js';
import type { CliIo, Command } from './cli-io.js';
import { integerFlag, parseCliArgs } from './cli-options.js';

const USAGE =
  'herald worker [--store postgres://…] [--queue redis://…] [--concurrency 10] [--lease-ms 30000] [--schema herald] [--prefix herald] [--sandbox] [--audience-size 1000]';

const OPTIONS = {
  store: { type: 'string' },
  queue: { type: 'string' },
  concurrency: { type: 'string' },
  'lease-ms': { type: 'string' },
  schema: { type: 'string' },
  prefix: { type: 'string' },
  sandbox: { type: 'boolean' },
  'audience-size': { type: 'string' },
} as const;

/**
 * `herald worker`, stopping (and releasing its campaigns) when `stop` aborts.
 * @example
 * const stop = new AbortController();
 * const code = await workerCommandUntil(stop.signal)(['--store', url, '--queue', redis], io);
 */
export function workerCommandUntil(stop: AbortSignal): Command {
  return async (args, io) => {
    const { values } = parseCliArgs(args, OPTIONS, USAGE);
    const size = integerFlag(values['audience-size'], 'audience-size') ?? 1000;
    const concurrency = integerFlag(values.concurrency, 'concurrency');
    const leaseTtlMs = integerFlag(values['lease-ms'], 'lease-ms');
    const env = io.env ?? process.env;
    const storeUrl = values.store ?? env.HERALD_STORE_URL;
    const queueUrl = values.queue ?? env.HERALD_QUEUE_URL;
    if (storeUrl === undefined || !isPostgresUrl(storeUrl)) {
      throw new ConfigurationError(
        'store_url_required',
        `a worker keeps its state in PostgreSQL: pass --store postgres://… or set HERALD_STORE_URL\nusage: ${USAGE}`,
      );
    }
    if (queueUrl === undefined || !/^rediss?:\/\//.test(queueUrl)) {
      throw new ConfigurationError(
        'queue_url_required',
        `a worker takes campaigns from Redis: pass --queue redis://… or set HERALD_QUEUE_URL\nusage: ${USAGE}`,
      );
    }
    const sandbox: Sandbox | undefined = values.sandbox ? await startSandbox() : undefined;
    const { profiles, events } = sandboxAudience(size, Date.now());
    const worker = await ClusterWorker.start({
      storeUrl,
      queueUrl,
      ...(values.schema ? { schema: values.schema } : {}),
      ...(values.prefix ? { prefix: values.prefix } : {}),
      ...(concurrency === undefined ? {} : { concurrency }),
      ...(leaseTtlMs === undefined ? {} : { leaseTtlMs }),
      audience: profileAudience(profiles, events),
      connectors: sandbox ? { env: SANDBOX_CREDENTIALS, sandbox: sandbox.urls } : { env: env },
      onEvent: (event) => io.stdout.write(describe(event)),
    });
    io.stdout.write(
      `worker ${worker.owner} taking campaigns from ${redact(queueUrl)}, state in ${redact(storeUrl)}${sandbox ? ' (sandbox platforms)' : ''}\n`,
    );
    await untilAborted(stop);
    io.stdout.write(`stopping: handing back ${String(worker.running.length)} campaign(s)\n`);
    await worker.stop();
    await sandbox?.close();
    return 0;
  };
}

/**
 * `herald worker`: runs until SIGINT or SIGTERM.
 * @example
 * process.exitCode = await workerCommand(['--store', storeUrl, '--queue', queueUrl], io);
 */
export const workerCommand: Command = async (args: readonly string[], io: CliIo) => {
  const stop = new AbortController();
  const onSignal = (): void => {
    stop.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await workerCommandUntil(stop.signal)(args, io);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
};

function describe(event: WorkerEvent): string {
  const token =
    event.fencingToken === undefined ? '' : ` (fencing token ${String(event.fencingToken)})`;
  const detail = event.detail === undefined ? '' : `: ${event.detail}`;
  return `${event.type.padEnd(8)} ${event.campaignId}${token}${detail}\n`;
}

/** A URL without its password, for printing. */
function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    signal.addEventListener(
      'abort',
      () => {
        resolve();
      },
      { once: true },
    );
  });
}
