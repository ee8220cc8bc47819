import { writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { serviceUrl } from '../services.js';

const postgres = await serviceUrl('postgres');
const redis = await serviceUrl('redis');

describe.skipIf(postgres === undefined || redis === undefined)('herald in cluster mode', () => {
  it('submits a campaign once, shows it in the cluster status and queues a cancel for its worker', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'herald-cluster-cli-'));
    const schema = `cli_${String(process.pid)}_${String(Date.now())}`;
    const env = {
      HERALD_STORE_URL: postgres!,
      HERALD_QUEUE_URL: redis!,
      HERALD_STORE_SCHEMA: schema,
      HERALD_QUEUE_PREFIX: schema,
    };
    await writeFile(
      join(dir, 'ping.json'),
      JSON.stringify({
        name: 'Ping',
        steps: [
          {
            id: 'ping',
            platform: 'slack',
            action: 'notify',
            content: { text: 'hi', channel: '#x' },
          },
        ],
      }),
    );
    const out: string[] = [];
    const io = {
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: (s: string) => out.push(s) },
      cwd: dir,
      env,
    };
    try {
      expect(await main(['run', 'ping.json', '--id', 'ping'], io)).toBe(0);
      expect(await main(['run', 'ping.json', '--id', 'ping'], io)).toBe(0);
      expect(await main(['status'], io)).toBe(0);
      expect(await main(['cancel', 'ping'], io)).toBe(0);
      const text = out.join('');
      expect(text).toContain('Submitted ping to the cluster');
      expect(text).toContain('ping was already submitted; it runs once.');
      expect(text).toMatch(/ping\s+\w+\s+Ping\s+no owner/);
      expect(text).toContain('ping: cancel queued for the cluster');
    } finally {
      const pool = new pg.Pool({ connectionString: postgres });
      const { rows } = await pool.query<{ n: string }>(
        "SELECT count(*) AS n FROM information_schema.schemata WHERE schema_name = 'herald'",
      );
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
      const redisClient = new Redis(redis!);
      const keys = await redisClient.keys(`${schema}:*`);
      if (keys.length > 0) await redisClient.del(...keys);
      await redisClient.quit();
      // Everything went to this test's own schema, never the default one.
      expect(rows[0]!.n).toBe('0');
    }
  }, 60_000);
});
