import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SimulatedClock } from '../schedule/clock.js';
import { apiKeyAuth, type AuthStrategy } from './auth-strategy.js';
import { CAPABILITIES } from './connector.js';
import { HttpClient, type HttpClientOptions } from './http-client.js';
import { QuotaLimiter } from './quota-limiter.js';

const start = Date.parse('2026-11-25T00:00:00Z');

function client(responses: (() => Response)[], overrides: Partial<HttpClientOptions> = {}) {
  const clock = new SimulatedClock(start);
  const seen: number[] = [];
  const fetchStub: typeof fetch = () => {
    seen.push(clock.now());
    const next = responses.shift();
    return next ? Promise.resolve(next()) : Promise.reject(new Error('no more responses'));
  };
  const http = new HttpClient({
    platform: 'sendgrid',
    baseUrl: 'http://platform.test',
    apiVersion: 'v3',
    auth: apiKeyAuth({ key: 'SG.k' }),
    clock,
    limiter: new QuotaLimiter(clock),
    quota: { limit: 100, windowMs: 1000 },
    interpret: (r) =>
      r.status === 429
        ? { code: 'rate_limited' }
        : r.status >= 400
          ? { code: 'transient' }
          : undefined,
    fetch: fetchStub,
    random: () => 0,
    outbound: { allowlist: ['http://platform.test'] },
    ...overrides,
  });
  return { http, clock, seen };
}

const json =
  (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  () =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json', ...headers },
    });

describe('HttpClient', () => {
  it('waits out Retry-After, then reports ready again', async () => {
    const { http, clock, seen } = client([json({}, 429, { 'retry-after': '3' }), json({ a: 1 })]);
    const response = await http.request({
      method: 'GET',
      path: '/x',
      schema: z.object({ a: z.number() }),
      idempotent: true,
    });
    expect(response.data).toEqual({ a: 1 });
    expect(seen).toEqual([start, start + 3000]);
    expect(http.health()).toMatchObject({
      state: 'ready',
      counters: { rateLimited: 1, requests: 2 },
    });
    expect(clock.now()).toBe(start + 3000);
  });

  it('pauses until X-RateLimit-Reset when Remaining reaches zero', async () => {
    const reset = Math.floor(start / 1000) + 60;
    const { http, seen } = client([
      json({}, 200, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) }),
      json({}),
    ]);
    const schema = z.object({}).loose();
    await http.request({ method: 'GET', path: '/x', schema, idempotent: true });
    await http.request({ method: 'GET', path: '/x', schema, idempotent: true });
    expect(seen).toEqual([start, reset * 1000]);
  });

  it('backs off exponentially on a 429 without any pause header', async () => {
    const { http, seen } = client([json({}, 429), json({}, 429), json({})]);
    await http.request({ method: 'GET', path: '/x', schema: z.object({}), idempotent: true });
    expect(seen).toEqual([start, start + 250, start + 750]);
  });

  it('names malformed JSON as schema drift', async () => {
    const { http } = client([
      () => new Response('{oops', { headers: { 'content-type': 'application/json' } }),
    ]);
    await expect(
      http.request({
        method: 'GET',
        path: '/x',
        schema: z.object({ id: z.string() }),
        idempotent: true,
      }),
    ).rejects.toMatchObject({ code: 'schema_drift' });
  });

  it('fails with auth_expired when the strategy cannot produce a credential', async () => {
    const broken: AuthStrategy = {
      authorize: () => Promise.reject(new Error('vault says no to secret-canary')),
      refresh: () => Promise.resolve(false),
      secrets: () => ['secret-canary'],
    };
    const { http } = client([], { auth: broken });
    const error = await http
      .request({ method: 'GET', path: '/x', schema: z.object({}), idempotent: true })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'auth_expired',
      message: 'sendgrid: could not obtain a credential: vault says no to [redacted]',
    });
    expect(http.health().state).toBe('idle');
    const odd: AuthStrategy = {
      ...broken,
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- a strategy may reject with a non-Error
      authorize: () => Promise.reject('plain'),
    };
    await expect(
      client([], { auth: odd }).http.request({
        method: 'GET',
        path: '/x',
        schema: z.object({}),
        idempotent: true,
      }),
    ).rejects.toMatchObject({ message: 'sendgrid: could not obtain a credential: plain' });
  });

  it('reports a lost connection on a send as an unknown outcome', async () => {
    const { http } = client([], { fetch: () => Promise.reject(new TypeError('fetch failed')) });
    await expect(
      http.request({ method: 'POST', path: '/x', body: {}, schema: z.string(), idempotent: false }),
    ).rejects.toMatchObject({
      code: 'unknown_outcome',
      message: 'sendgrid: no response (connection lost); the platform may have acted',
    });
  });

  it('lists every capability name', () => {
    expect(CAPABILITIES).toContain('send_email');
  });
});
