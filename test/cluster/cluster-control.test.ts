import { afterAll, describe, expect, it } from 'vitest';
import { openClusterClient, type ClusterClient } from '../../src/cluster/cluster-client.js';
import { startSandbox } from '../../src/sandbox/start-sandbox.js';
import type { CampaignSpecInput } from '../../src/spec/campaign-schema.js';
import { openPostgresStore } from '../../src/store/postgres-store.js';
import { crashSpec } from '../crash/crash-campaign.js';
import { serviceUrl } from '../services.js';
import { auditDeliveries, clusterNamespace } from './cluster-fixture.js';
import { spawnWorker, stopWorker, type WorkerProcess } from './worker-processes.js';

const storeUrl = await serviceUrl('postgres');
const queueUrl = await serviceUrl('redis');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function statusOf(client: ClusterClient, id: string) {
  return (await client.status()).campaigns.find((c) => c.id === id)!;
}

async function until(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 60_000,
  context: () => string = () => '',
) {
  const started = Date.now();
  while (!(await check())) {
    expect(Date.now() - started, `waiting for ${what} ${context()}`).toBeLessThan(timeoutMs);
    await sleep(100);
  }
}

describe.runIf(storeUrl && queueUrl)('cluster control and timeline', () => {
  const ns = clusterNamespace('control', storeUrl!, queueUrl!);
  const location = {
    storeUrl: storeUrl!,
    queueUrl: queueUrl!,
    schema: ns.schema,
    prefix: ns.prefix,
  };
  afterAll(() => ns.drop());

  it('pauses a running campaign (releasing its lease) and resumes it on a worker when asked', async () => {
    const recipients = 20_000;
    const sandbox = await startSandbox({ platforms: ['sendgrid'] });
    const worker = await spawnWorker({
      ...location,
      sandbox: sandbox.urls,
      recipients,
      leaseTtlMs: 3_000,
      concurrency: 2,
      quotas: { sendgrid: [{ limit: 2, windowMs: 1_000 }] },
      owner: 'control',
    });
    const client = await openClusterClient(location);
    try {
      await client.submit(crashSpec, { id: 'paused' });
      await until('first deliveries', () =>
        Promise.resolve(sandbox.deliveries('sendgrid').length >= 2_000),
      );
      await client.control('paused', 'pause');
      await until('the pause', async () => {
        const c = await statusOf(client, 'paused');
        return c.status === 'paused' && c.owner === undefined;
      });
      const atPause = sandbox.deliveries('sendgrid').length;
      await sleep(2_000);
      expect(sandbox.deliveries('sendgrid').length - atPause).toBeLessThanOrEqual(1_000);
      const held = sandbox.deliveries('sendgrid').length;
      await sleep(1_500);
      expect(sandbox.deliveries('sendgrid').length).toBe(held);

      await client.control('paused', 'resume');
      await until(
        'completion',
        async () => (await statusOf(client, 'paused')).status === 'completed',
        40_000,
        () => JSON.stringify(worker.events) + worker.stderr(),
      );
      const store = await openPostgresStore(storeUrl!, { schema: ns.schema });
      const journal = await store.journal('paused');
      await store.close();
      const audit = auditDeliveries(sandbox, journal, ['paused'], recipients);
      expect(audit.twice).toEqual([]);
      expect(audit.missing).toEqual([]);
      await until('the worker to settle it', () =>
        Promise.resolve(worker.events.some((e) => e.type === 'settled')),
      );
      expect(worker.events.filter((e) => e.type !== 'busy').map((e) => e.type)).toEqual([
        'taken',
        'paused',
        'taken',
        'settled',
      ]);
    } finally {
      await client.close();
      await stopWorker(worker);
      await sandbox.close();
    }
  }, 120_000);

  it('wakes a campaign at its deadline on another worker when its owner died while waiting', async () => {
    const recipients = 100;
    const spec: CampaignSpecInput = {
      ...crashSpec,
      name: 'Deadline',
      steps: [
        crashSpec.steps[0]!,
        {
          ...crashSpec.steps[1]!,
          timing: { kind: 'relative', after: 'welcome', offset: 'PT6S' },
        },
      ],
    };
    const sandbox = await startSandbox({ platforms: ['sendgrid'] });
    const config = {
      ...location,
      sandbox: sandbox.urls as Record<string, string>,
      recipients,
      leaseTtlMs: 2_000,
      concurrency: 2,
    };
    const workers: WorkerProcess[] = [await spawnWorker({ ...config, owner: 'sleeper' })];
    const client = await openClusterClient(location);
    const store = await openPostgresStore(storeUrl!, { schema: ns.schema });
    try {
      await client.submit(spec, { id: 'deadline' });
      await until('the deadline', async () => (await store.listDeadlines('deadline')).length > 0);
      const [deadline] = await store.listDeadlines('deadline');
      expect((await client.status()).queue.delayed).toBeGreaterThanOrEqual(1);
      workers[0]!.child.kill('SIGKILL');
      workers.push(await spawnWorker({ ...config, owner: 'waker' }));
      await until(
        'completion',
        async () => (await statusOf(client, 'deadline')).status === 'completed',
      );
      const offers = sandbox.deliveries('sendgrid').filter((d) => d.at >= deadline!.at);
      expect(offers).toHaveLength(recipients);
      const audit = auditDeliveries(
        sandbox,
        await store.journal('deadline'),
        ['deadline'],
        recipients,
      );
      expect(audit.twice).toEqual([]);
      expect(audit.missing).toEqual([]);
      expect(
        workers[1]!.events.some((e) => e.type === 'taken' && e.campaignId === 'deadline'),
      ).toBe(true);
    } finally {
      await store.close();
      await client.close();
      await Promise.all(workers.map((w) => stopWorker(w)));
      await sandbox.close();
    }
  }, 120_000);
});
