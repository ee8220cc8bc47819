import { afterAll, describe, expect, it } from 'vitest';
import { workerCommandUntil } from '../../src/cli/worker-command.js';
import { openClusterClient } from '../../src/cluster/cluster-client.js';
import { clusterNamespace } from '../cluster/cluster-fixture.js';
import { serviceUrl } from '../services.js';
import { captureIo } from './captured-io.js';

const storeUrl = await serviceUrl('postgres');
const queueUrl = await serviceUrl('redis');

const capture = () => captureIo();

describe('herald worker', () => {
  it('refuses to start when no PostgreSQL store is configured', async () => {
    const { io } = capture();
    await expect(
      workerCommandUntil(AbortSignal.abort())(['--store', '.herald/herald.db'], io),
    ).rejects.toMatchObject({ code: 'store_url_required' });
    await expect(
      workerCommandUntil(AbortSignal.abort())(['--store', 'postgres://x/y'], io),
    ).rejects.toMatchObject({ code: 'queue_url_required' });
  });

  describe.runIf(storeUrl && queueUrl)('with PostgreSQL and Redis', () => {
    const ns = clusterNamespace('cli', storeUrl!, queueUrl!);
    afterAll(() => ns.drop());

    it('runs a submitted campaign on the sandbox and stops when interrupted', async () => {
      const { io, out } = capture();
      const stop = new AbortController();
      const location = {
        storeUrl: storeUrl!,
        queueUrl: queueUrl!,
        schema: ns.schema,
        prefix: ns.prefix,
      };
      const running = workerCommandUntil(stop.signal)(
        [
          '--store',
          storeUrl!,
          '--queue',
          queueUrl!,
          '--schema',
          ns.schema,
          '--prefix',
          ns.prefix,
          '--sandbox',
          '--audience-size',
          '50',
          '--lease-ms',
          '5000',
        ],
        io,
      );
      const client = await openClusterClient(location);
      try {
        await client.submit(
          {
            name: 'CLI worker',
            audience: { segment: 'all' },
            steps: [
              {
                id: 'hello',
                platform: 'email',
                action: 'email',
                content: { subject: 'Hi', html: '<p>hi</p>' },
              },
            ],
          },
          { id: 'cli-worker' },
        );
        for (let status = ''; status !== 'completed';) {
          await new Promise((resolve) => setTimeout(resolve, 200));
          status = (await client.status()).campaigns[0]?.status ?? '';
          expect(status).not.toBe('failed');
        }
      } finally {
        await client.close();
        stop.abort();
      }
      expect(await running).toBe(0);
      expect(out()).toMatch(/taken +cli-worker \(fencing token 1\)/);
      expect(out()).toMatch(/settled +cli-worker/);
    }, 60_000);
  });
});
