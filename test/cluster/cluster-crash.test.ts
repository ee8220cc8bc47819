import { afterAll, describe, expect, it } from 'vitest';
import { openClusterClient } from '../../src/cluster/cluster-client.js';
import type { ClusterQuotas } from '../../src/cluster/cluster-rate-limiter.js';
import { maxInRollingWindow } from '../../src/sandbox/sliding-window.js';
import { startSandbox } from '../../src/sandbox/start-sandbox.js';
import { isFinalStatus } from '../../src/store/herald-store.js';
import { openPostgresStore } from '../../src/store/postgres-store.js';
import { crashSpec } from '../crash/crash-campaign.js';
import { serviceUrl } from '../services.js';
import { auditDeliveries, clusterNamespace } from './cluster-fixture.js';
import { spawnWorker, stopWorker, type WorkerProcess } from './worker-processes.js';

const storeUrl = await serviceUrl('postgres');
const queueUrl = await serviceUrl('redis');
const CAMPAIGNS = 20;
const RECIPIENTS = 10_000;
const LEASE_TTL_MS = 3_000;
/** SendGrid's quota, plus a tighter per-second one so the shared limiter visibly shapes traffic. */
const QUOTAS: ClusterQuotas = {
  sendgrid: [
    { limit: 600, windowMs: 60_000 },
    { limit: 20, windowMs: 1_000 },
  ],
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.runIf(storeUrl && queueUrl)('cluster of three workers', () => {
  const ns = clusterNamespace('crash', storeUrl!, queueUrl!);
  afterAll(() => ns.drop());

  it(`sends ${String(CAMPAIGNS)} campaigns × ${String(RECIPIENTS)} recipients exactly once or reports them unknown, within quota, when one worker is SIGKILLed and one frozen past its lease`, async () => {
    const started = Date.now();
    const sandbox = await startSandbox({ platforms: ['sendgrid'] });
    const location = {
      storeUrl: storeUrl!,
      queueUrl: queueUrl!,
      schema: ns.schema,
      prefix: ns.prefix,
    };
    const workers: WorkerProcess[] = [];
    const client = await openClusterClient({ ...location, quotas: QUOTAS });
    try {
      for (const owner of ['killed', 'frozen', 'steady']) {
        workers.push(
          await spawnWorker({
            ...location,
            sandbox: sandbox.urls,
            recipients: RECIPIENTS,
            leaseTtlMs: LEASE_TTL_MS,
            concurrency: CAMPAIGNS,
            quotas: QUOTAS,
            owner,
          }),
        );
      }
      const ids = Array.from({ length: CAMPAIGNS }, (_, i) => `c${String(i).padStart(2, '0')}`);
      await Promise.all(ids.map((id) => client.submit(crashSpec, { id })));

      const [killed, frozen] = workers as [WorkerProcess, WorkerProcess, WorkerProcess];
      const holds = (w: WorkerProcess) => w.events.some((e) => e.type === 'taken');
      while (sandbox.deliveries('sendgrid').length < 30_000 || !holds(killed) || !holds(frozen)) {
        await sleep(100);
        expect(Date.now() - started, 'no progress before the faults').toBeLessThan(60_000);
      }
      killed.child.kill('SIGKILL');
      frozen.child.kill('SIGSTOP');
      const frozenAt = Date.now();
      const held = new Set<string>();
      for (const e of frozen.events) {
        if (e.type === 'taken') held.add(e.campaignId);
        else held.delete(e.campaignId);
      }
      // Wake the frozen worker only once every campaign it held has moved on without it.
      for (let moved = false; !moved;) {
        await sleep(250);
        const now = await client.status();
        moved = now.campaigns
          .filter((c) => held.has(c.id))
          .every((c) => isFinalStatus(c.status) || (c.owner !== undefined && c.owner !== 'frozen'));
        expect(Date.now() - frozenAt, 'frozen campaigns not taken over').toBeLessThan(60_000);
      }
      frozen.child.kill('SIGCONT');
      const frozenFor = Date.now() - frozenAt;

      let statuses: string[] = [];
      while (!statuses.every((s) => isFinalStatus(s as never)) || statuses.length === 0) {
        await sleep(500);
        statuses = (await client.status()).campaigns.map((c) => c.status);
        expect(Date.now() - started, `unfinished: ${statuses.join(',')}`).toBeLessThan(170_000);
      }
      const status = await client.status();
      expect(status.campaigns.map((c) => c.status)).toEqual(ids.map(() => 'completed'));

      const store = await openPostgresStore(storeUrl!, { schema: ns.schema });
      const journal = (await Promise.all(ids.map((id) => store.journal(id)))).flat();
      await store.close();
      const audit = auditDeliveries(sandbox, journal, ids, RECIPIENTS);
      expect(audit.twice, 'delivered twice').toEqual([]);
      expect(audit.missing.slice(0, 5), 'silently missing').toEqual([]);
      expect(audit.unjournaled).toBe(0);
      // A batch in flight when its worker died may have arrived and be reported unknown too.
      expect(audit.delivered).toBeLessThanOrEqual(CAMPAIGNS * RECIPIENTS * 2);
      expect(audit.delivered + audit.unknown).toBeGreaterThanOrEqual(CAMPAIGNS * RECIPIENTS * 2);

      const sends = sandbox
        .received('sendgrid')
        .filter((r) => r.path === '/v3/mail/send')
        .map((r) => r.at);
      expect(maxInRollingWindow(sends, 60_000)).toBeLessThanOrEqual(600);
      expect(maxInRollingWindow(sends, 1_000)).toBeLessThanOrEqual(20);

      // The faults hit running campaigns: some were taken over with a higher fencing token,
      // and the frozen worker woke up to find its leases gone.
      const takeovers = workers
        .flatMap((w) => w.events)
        .filter((e) => e.type === 'taken' && (e.fencingToken ?? 0) > 1);
      expect(takeovers.length).toBeGreaterThan(0);
      if (held.size > 0) {
        const wokeAt = Date.now();
        while (!frozen.events.some((e) => e.type === 'lost') && Date.now() - wokeAt < 15_000) {
          await sleep(100);
        }
        expect(frozen.stderr(), 'the frozen worker failed on waking').toBe('');
        expect(frozen.events.filter((e) => e.type === 'lost').map((e) => e.campaignId)).not.toEqual(
          [],
        );
      }
      expect(frozenFor).toBeGreaterThan(LEASE_TTL_MS);
      process.stderr.write(
        `cluster crash test: ${String(CAMPAIGNS * RECIPIENTS * 2)} messages, ${String(audit.delivered)} delivered, ${String(audit.unknown)} reported unknown, ${String(takeovers.length)} takeovers, ${String(sends.length)} sends, ${String(Date.now() - started)} ms\n`,
      );
    } finally {
      await client.close();
      await Promise.all(workers.map((w) => stopWorker(w)));
      await sandbox.close();
    }
  }, 200_000);
});
