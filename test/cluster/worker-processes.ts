/**
 * Spawns cluster worker processes (as test/crash spawns its worker) and collects their events.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { WorkerEvent } from '../../src/cluster/cluster-worker.js';
import type { WorkerProcessConfig } from './cluster-worker-process.js';

const script = join(import.meta.dirname, 'cluster-worker-process.ts');

/** A running worker process. */
export interface WorkerProcess {
  readonly owner: string;
  readonly child: ChildProcess;
  readonly events: (WorkerEvent & { at: number })[];
  /** Resolves with the exit code or signal once it exits. */
  readonly exited: Promise<string>;
  stderr(): string;
}

/** Starts a worker and resolves once it is consuming the queue. */
export async function spawnWorker(config: WorkerProcessConfig): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(config)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: (WorkerEvent & { at: number })[] = [];
  let err = '';
  let buffered = '';
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on('data', (d: Buffer) => {
    buffered += d.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      const event = JSON.parse(line) as WorkerEvent & { at: number };
      if ((event.type as string) === 'ready') markReady();
      else events.push(event);
    }
  });
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<string>((resolve) =>
    child.on('exit', (code, signal) => resolve(signal ?? String(code))),
  );
  await Promise.race([
    ready,
    exited.then((how) => Promise.reject(new Error(`worker exited (${how}): ${err}`))),
  ]);
  return { owner: config.owner, child, events, exited, stderr: () => err };
}

/** Stops a worker gracefully (SIGTERM), or kills it when it does not stop in time. */
export async function stopWorker(worker: WorkerProcess, graceMs = 10_000): Promise<void> {
  if (worker.child.exitCode !== null || worker.child.signalCode !== null) return;
  worker.child.kill('SIGCONT');
  worker.child.kill('SIGTERM');
  const timer = setTimeout(() => worker.child.kill('SIGKILL'), graceMs);
  await worker.exited;
  clearTimeout(timer);
}
