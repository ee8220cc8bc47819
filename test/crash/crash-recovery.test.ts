import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CampaignReport } from '../../src/actors/campaign-system.js';
import { startSandbox } from '../../src/sandbox/start-sandbox.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { CRASH_CHANNELS, crashRecipients } from './crash-campaign.js';

const RECIPIENTS = 10_000;
const SEEDS = 20;
const worker = join(import.meta.dirname, 'crash-worker.ts');

/** Runs the worker; kills it with SIGKILL as soon as `killWhen` holds (polled every 2 ms), when given. */
function runWorker(store: string, urls: object, killWhen?: () => boolean) {
  return new Promise<{ killed: boolean; report?: CampaignReport }>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', worker, store, JSON.stringify(urls), String(RECIPIENTS)],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer =
      killWhen === undefined
        ? undefined
        : setInterval(() => {
            if (killWhen()) child.kill('SIGKILL');
          }, 2);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearInterval(timer);
      if (signal === 'SIGKILL') resolve({ killed: true });
      else if (code === 0) resolve({ killed: false, report: JSON.parse(out) as CampaignReport });
      else reject(new Error(`worker exited ${String(code)}: ${err}`));
    });
  });
}

describe('crash recovery', () => {
  it(`sends each of ${String(RECIPIENTS)} recipients each message exactly once or reports it unknown, across ${String(SEEDS)} SIGKILLs`, async () => {
    // The kill lands after a seeded number of the run's 20 platform calls plus a seeded few
    // milliseconds: between calls, or in the middle of one.
    const moments = fc.sample(
      fc.tuple(fc.integer({ min: 1, max: 19 }), fc.integer({ min: 0, max: 40 })),
      {
        numRuns: SEEDS,
        seed: 42,
      },
    );
    const ids = new Map(crashRecipients(RECIPIENTS).map((r) => [r.email!, r.id]));
    let crashedMidRun = 0;
    for (const [calls, extraMs] of moments) {
      const delay = `${String(calls)} calls + ${String(extraMs)} ms`;
      const dir = await mkdtemp(join(tmpdir(), 'herald-crash-'));
      const storeFile = join(dir, 'herald.db');
      const sandbox = await startSandbox({ platforms: ['sendgrid'] });
      try {
        let seenAt: number | undefined;
        const first = await runWorker(storeFile, sandbox.urls, () => {
          if (seenAt === undefined && sandbox.received('sendgrid').length >= calls)
            seenAt = Date.now();
          return seenAt !== undefined && Date.now() - seenAt >= extraMs;
        });
        if (first.killed) crashedMidRun++;
        const { report } = first.killed ? await runWorker(storeFile, sandbox.urls) : first;
        expect(report!.status).toBe('completed');

        const store = openSqliteStore(storeFile);
        const journal = await store.journal('crash');
        await store.close();
        const stepOfKey = new Map(journal.map((e) => [e.key, e.stepId]));
        const unknown = new Set(
          journal
            .filter((e) => e.status === 'unknown')
            .flatMap((e) => e.recipientIds.map((r) => `${e.stepId}:${r}`)),
        );
        const received = new Map<string, number>();
        for (const platform of new Set(Object.values(CRASH_CHANNELS))) {
          for (const delivery of sandbox.deliveries(platform)) {
            const step = stepOfKey.get(delivery.key!);
            expect(
              step,
              `a delivery carried key ${String(delivery.key)} that Herald never journaled`,
            ).toBeDefined();
            const key = `${step!}:${ids.get(delivery.recipient)!}`;
            received.set(key, (received.get(key) ?? 0) + 1);
          }
        }
        const twice = [...received].filter(([, n]) => n > 1);
        expect(twice, `kill after ${delay}: delivered twice`).toEqual([]);
        for (const step of Object.keys(CRASH_CHANNELS)) {
          const missing = [...ids.values()].filter(
            (id) => !received.has(`${step}:${id}`) && !unknown.has(`${step}:${id}`),
          );
          expect(missing, `kill after ${delay}: ${step} silently missing`).toEqual([]);
        }
      } finally {
        await sandbox.close();
      }
    }
    expect(crashedMidRun).toBeGreaterThanOrEqual(SEEDS - 2);
  }, 300_000);
});
