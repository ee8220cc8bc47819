import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { ClusterRateLimiter } from '../../src/cluster/cluster-rate-limiter.js';
import { maxInRollingWindow } from '../../src/sandbox/sliding-window.js';
import { serviceUrl } from '../services.js';

const url = await serviceUrl('redis');
const prefix = `herald-test-${randomUUID().slice(0, 8)}`;

afterAll(async () => {
  if (!url) return;
  const redis = new Redis(url);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

describe.runIf(url)('ClusterRateLimiter', () => {
  it('keeps every rolling window within the quota when several workers share it', async () => {
    const quotas = { sendgrid: [{ limit: 5, windowMs: 300 }] };
    const limiters = Array.from(
      { length: 3 },
      () => new ClusterRateLimiter({ url: url!, prefix, quotas, marginMs: 0 }),
    );
    const granted: number[] = [];
    try {
      await Promise.all(
        limiters.flatMap((limiter) =>
          Array.from({ length: 8 }, async () => {
            await limiter.acquire('sendgrid');
            granted.push(Date.now());
          }),
        ),
      );
      expect(granted).toHaveLength(24);
      // Grants are stamped after the Redis round trip: allow a few ms of that jitter.
      expect(maxInRollingWindow(granted, 280)).toBeLessThanOrEqual(5);
      expect(Math.max(...granted) - Math.min(...granted)).toBeGreaterThanOrEqual(4 * 300 - 50);
      const state = await limiters[0]!.state();
      expect(state).toEqual([
        { platform: 'sendgrid', limit: 5, windowMs: 300, used: expect.any(Number) },
      ]);
    } finally {
      await Promise.all(limiters.map((l) => l.close()));
    }
  });

  it('lets platforms without a quota through at once', async () => {
    const limiter = new ClusterRateLimiter({ url: url!, prefix, quotas: {} });
    try {
      const started = Date.now();
      for (let i = 0; i < 50; i++) await limiter.acquire('wordpress');
      expect(Date.now() - started).toBeLessThan(200);
    } finally {
      await limiter.close();
    }
  });
});
