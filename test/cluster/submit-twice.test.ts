import { afterAll, describe, expect, it } from 'vitest';
import { openClusterClient, submitCampaign } from '../../src/cluster/cluster-client.js';
import { startSandbox } from '../../src/sandbox/start-sandbox.js';
import { openPostgresStore } from '../../src/store/postgres-store.js';
import { crashSpec } from '../crash/crash-campaign.js';
import { serviceUrl } from '../services.js';
import { auditDeliveries, clusterNamespace } from './cluster-fixture.js';
import { spawnWorker, stopWorker } from './worker-processes.js';

const storeUrl = await serviceUrl('postgres');
const queueUrl = await serviceUrl('redis');
const RECIPIENTS = 3_000;

describe.runIf(storeUrl && queueUrl)('submitCampaign', () => {
  const ns = clusterNamespace('submit', storeUrl!, queueUrl!);
  afterAll(() => ns.drop());

  it('runs a campaign once when it is submitted twice concurrently', async () => {
    const sandbox = await startSandbox({ platforms: ['sendgrid'] });
    const location = {
      storeUrl: storeUrl!,
      queueUrl: queueUrl!,
      schema: ns.schema,
      prefix: ns.prefix,
    };
    const workers = await Promise.all(
      ['w1', 'w2'].map((owner) =>
        spawnWorker({
          ...location,
          sandbox: sandbox.urls,
          recipients: RECIPIENTS,
          // Long enough that no lease lapses on a loaded machine: a second "taken" would then
          // mean the duplicate submission ran, not a takeover.
          leaseTtlMs: 30_000,
          concurrency: 4,
          owner,
        }),
      ),
    );
    try {
      const submissions = await Promise.all([
        submitCampaign(crashSpec, { ...location, id: 'twice' }),
        submitCampaign(crashSpec, { ...location, id: 'twice' }),
      ]);
      expect(submissions.map((s) => s.created).sort()).toEqual([false, true]);

      const client = await openClusterClient(location);
      try {
        for (let status = ''; status !== 'completed';) {
          await new Promise((resolve) => setTimeout(resolve, 200));
          status = (await client.status()).campaigns.find((c) => c.id === 'twice')!.status;
          expect(status).not.toBe('failed');
        }
        await expect(client.submit(crashSpec, { id: 'twice' })).resolves.toEqual({
          campaignId: 'twice',
          created: false,
        });
        await expect(
          client.submit({ ...crashSpec, name: 'Other' }, { id: 'twice' }),
        ).rejects.toMatchObject({ code: 'campaign_exists' });
      } finally {
        await client.close();
      }
      const store = await openPostgresStore(storeUrl!, { schema: ns.schema });
      const journal = await store.journal('twice');
      await store.close();
      const audit = auditDeliveries(sandbox, journal, ['twice'], RECIPIENTS);
      expect(audit.twice).toEqual([]);
      expect(audit.missing).toEqual([]);
      expect(audit.unjournaled).toBe(0);
      expect(audit.delivered + audit.unknown).toBe(RECIPIENTS * 2);
      expect(audit.unknown).toBe(0);
      const taken = workers.flatMap((w) => w.events.filter((e) => e.type === 'taken'));
      expect(taken.map((e) => e.campaignId)).toEqual(['twice']);
    } finally {
      await Promise.all(workers.map((w) => stopWorker(w)));
      await sandbox.close();
    }
  }, 120_000);
});
