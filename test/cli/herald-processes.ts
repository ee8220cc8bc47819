/**
 * `herald` as users run it, as child processes: an external `herald sandbox` whose delivery
 * record is the ground truth, and `herald run|resume|status` processes the tests kill, stop
 * and continue.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { RecordedDelivery } from '../../src/cli/sandbox-command.js';

const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'src/cli/bin.ts');

/** A `herald` process and how it ended. */
export interface HeraldProcess {
  readonly child: ChildProcess;
  /** Everything it printed so far. */
  readonly out: () => string;
  readonly err: () => string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the `herald` executable (`src/cli/bin.ts`) with `args`, in the repository (so `--import tsx` resolves). */
export function herald(args: readonly string[], env: Record<string, string> = {}): HeraldProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
    (resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code, signal) => {
        resolve({ code, signal });
      });
    },
  );
  return { child, out: () => out, err: () => err, exited };
}

/** Runs `herald <args>` to its end; throws with its output when it exits with another code. */
export async function heraldOk(args: readonly string[], expectCode = 0): Promise<string> {
  const run = herald(args);
  const { code, signal } = await run.exited;
  if (code !== expectCode)
    throw new Error(
      `herald ${args.join(' ')} ended with ${String(code ?? signal)}:\n${run.out()}\n${run.err()}`,
    );
  return run.out();
}

/** A running `herald sandbox` process. */
export interface SandboxProcess {
  /** Its control address. */
  readonly url: string;
  /** Every delivery it recorded, from the `from`th on. */
  deliveries(from?: number): Promise<RecordedDelivery[]>;
  stop(): Promise<void>;
}

/** Starts `herald sandbox --unlimited` and waits for its control address. */
export async function externalSandbox(): Promise<SandboxProcess> {
  const proc = herald(['sandbox', '--unlimited']);
  const url = await new Promise<string>((resolve, reject) => {
    const check = setInterval(() => {
      const match = /Sandbox control: (\S+)/.exec(proc.out());
      if (match) {
        clearInterval(check);
        resolve(match[1]!);
      }
    }, 50);
    proc.exited.then(({ code }) => {
      clearInterval(check);
      reject(new Error(`herald sandbox exited ${String(code)}: ${proc.err()}`));
    }, reject);
  });
  return {
    url,
    async deliveries(from = 0) {
      const response = await fetch(`${url}/__herald/deliveries?from=${String(from)}`);
      return (await response.json()) as RecordedDelivery[];
    },
    async stop() {
      proc.child.kill('SIGINT');
      await proc.exited;
    },
  };
}

/** Resolves once `until` holds (checked every `everyMs`), or with false after `timeoutMs`. */
export async function waitFor(
  until: () => Promise<boolean> | boolean,
  timeoutMs: number,
  everyMs = 20,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await until()) return true;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return false;
}
