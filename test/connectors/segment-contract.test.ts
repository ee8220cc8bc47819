import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isConnectorError, type ConnectorError } from '../../src/connectors/connector-error.js';
import { createConnectorRegistry } from '../../src/connectors/connector-registry.js';
import {
  interpretSegment,
  segmentMessageId,
} from '../../src/connectors/segment/segment-connector.js';
import { actionRequest, startHarness, type Harness } from './connector-harness.js';

const KEY = 'canary-segment-write-key';
const env = { SEGMENT_WRITE_KEY: KEY };

async function failure(work: Promise<unknown>): Promise<ConnectorError> {
  try {
    await work;
  } catch (error) {
    if (isConnectorError(error)) return error;
    throw error;
  }
  throw new Error('expected a ConnectorError');
}

const sync = (overrides = {}) =>
  actionRequest({
    platform: 'segment',
    action: 'audience_sync',
    recipients: [
      {
        id: 'u1',
        email: 'a@x.test',
        phone: '+14155550100',
        locale: 'en-US',
        zone: 'America/New_York',
      },
      { id: 'u2' },
    ],
    ...overrides,
  });

describe('segment connector against its sandbox', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(['segment'], { env, retry: { maximumAttempts: 3 } });
  });
  afterEach(async () => {
    await h.sandbox.close();
  });

  it('identifies each recipient in one batch with a keyed messageId', async () => {
    const segment = h.registry.get('segment');
    const request = sync();
    await expect(segment.perform(request)).resolves.toEqual({ outputs: {}, accepted: 2 });
    const [sent] = h.sandbox.received('segment');
    expect(sent?.path).toBe('/v1/batch');
    expect(sent?.headers.authorization).toBe(`Basic ${Buffer.from(`${KEY}:`).toString('base64')}`);
    expect(sent?.body).toMatchObject({
      batch: [
        {
          type: 'identify',
          userId: 'u1',
          messageId: `${request.idempotencyKey}:u1`,
          traits: { email: 'a@x.test', phone: '+14155550100', locale: 'en-US' },
          context: { timezone: 'America/New_York' },
        },
        { type: 'identify', userId: 'u2', messageId: `${request.idempotencyKey}:u2`, traits: {} },
      ],
    });
    expect(h.sandbox.deliveries('segment').map((d) => [d.recipient, d.key])).toEqual([
      ['u1', `${request.idempotencyKey}:u1`],
      ['u2', `${request.idempotencyKey}:u2`],
    ]);
    expect(segment.maxBatchSize).toBe(1000);
    expect(segment.health?.().state).toBe('ready');
  });

  it('re-sends a batch dropped after commit and Segment keeps one copy by messageId', async () => {
    const segment = h.registry.get('segment');
    const request = sync();
    h.sandbox.inject('segment', { kind: 'dropAfterCommit' });
    await expect(segment.perform(request)).resolves.toMatchObject({ accepted: 2 });
    expect(h.sandbox.received('segment')).toHaveLength(2);
    expect(h.sandbox.deliveries('segment')).toHaveLength(2);
    const answer = await segment.reconcile(request);
    expect(answer.status === 'unknown' && answer.reason).toMatch(/deduplicates on messageId/);
  });

  it('hashes messageIds that would reach 100 characters', () => {
    const long = 'k'.repeat(120);
    expect(segmentMessageId(long, 'u1')).toMatch(/^[0-9a-f]{64}$/);
    expect(segmentMessageId('key', 'u1')).toBe('key:u1');
  });

  it('rejects what it cannot sync', async () => {
    const segment = h.registry.get('segment');
    for (const request of [sync({ action: 'email' }), sync({ recipients: [] })]) {
      expect((await failure(segment.perform(request))).code).toBe('invalid_request');
    }
    expect(h.sandbox.received('segment')).toHaveLength(0);
  });

  it('maps statuses to their codes', async () => {
    const segment = h.registry.get('segment');
    const faults = [
      [{ kind: 'expiredToken' }, 'auth_expired', 401],
      [{ kind: 'versionSunset' }, 'version_sunset', 404],
      [{ kind: '5xx', status: 500, times: 3 }, 'transient', 500],
      [{ kind: '429', retryAfterSeconds: 2, times: 3 }, 'rate_limited', 429],
    ] as const;
    for (const [fault, code, status] of faults) {
      h.sandbox.inject('segment', fault);
      const error = await failure(segment.perform(sync()));
      expect([error.code, error.status]).toEqual([code, status]);
      expect(error.message).not.toContain(KEY);
    }
    h.sandbox.inject('segment', { kind: '429', retryAfterSeconds: 2, times: 3 });
    expect((await failure(segment.perform(sync()))).retryAfterMs).toBeGreaterThan(0);
    h.sandbox.inject('segment', { kind: 'versionSunset' });
    expect((await failure(segment.perform(sync()))).message).toContain('API version v1 is retired');
    const huge = sync({ recipients: [{ id: 'u1', email: `${'a'.repeat(40_000)}@x.test` }] });
    const tooBig = await failure(segment.perform(huge));
    expect([tooBig.code, tooBig.platformMessage]).toEqual(['invalid_request', 'Event too large']);
    const headers = new Headers();
    expect(interpretSegment({ status: 403, headers, body: '' })).toEqual({ code: 'auth_expired' });
  });

  it('uses the EU endpoint when asked and names the missing key', async () => {
    const seen: string[] = [];
    const registry = createConnectorRegistry({
      clock: h.clock,
      env: { ...env, SEGMENT_REGION: 'eu' },
      retry: { maximumAttempts: 1 },
      // A public address for the EU host, without asking DNS.
      outbound: { resolver: () => Promise.resolve([{ address: '93.184.215.14', family: 4 }]) },
      fetch: (input) => {
        seen.push(String(input));
        return Promise.resolve(
          new Response('{"success":true}', { headers: { 'content-type': 'application/json' } }),
        );
      },
    });
    await registry.get('segment').perform(sync());
    expect(seen).toEqual(['https://events.eu1.segmentapis.com/v1/batch']);
    expect(() => createConnectorRegistry({ env: {} }).get('segment')).toThrow(/SEGMENT_WRITE_KEY/);
  });
});
