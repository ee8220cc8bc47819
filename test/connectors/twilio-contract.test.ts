import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isConnectorError, type ConnectorError } from '../../src/connectors/connector-error.js';
import { createConnectorRegistry } from '../../src/connectors/connector-registry.js';
import { interpretTwilio } from '../../src/connectors/twilio/twilio-connector.js';
import { actionRequest, startHarness, type Harness } from './connector-harness.js';

const SID = 'AC0123456789abcdef0123456789abcdef';
const TOKEN = 'canary-9b2e-twilio-auth-token';
const env = { TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: TOKEN, TWILIO_FROM: '+15017122661' };

async function failure(work: Promise<unknown>): Promise<ConnectorError> {
  try {
    await work;
  } catch (error) {
    if (isConnectorError(error)) return error;
    throw error;
  }
  throw new Error('expected a ConnectorError');
}

const sms = (phone: string | undefined, overrides = {}) =>
  actionRequest({
    platform: 'twilio',
    action: 'sms',
    content: { text: 'Sale ends tonight', mediaUrls: [], variants: [] },
    recipients: [{ id: 'r1', ...(phone ? { phone } : {}) }],
    ...overrides,
  });

describe('twilio connector against its sandbox', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(['twilio'], { env, retry: { maximumAttempts: 3 } });
  });
  afterEach(async () => {
    await h.sandbox.close();
  });

  it('sends one form-encoded message per recipient when sms resolves to twilio', async () => {
    const twilio = h.registry.get('sms');
    const request = sms('+447700900123');
    const result = await twilio.perform(request);
    expect(result).toEqual({
      externalId: expect.stringMatching(/^SM[0-9a-f]{32}$/) as unknown,
      outputs: { sid: result.externalId, status: 'queued' },
      accepted: 1,
    });
    const [received] = h.sandbox.received('twilio');
    expect(received?.path).toBe(`/2010-04-01/Accounts/${SID}/Messages.json`);
    expect(received?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(received?.headers.authorization).toBe(
      `Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}`,
    );
    expect(received?.body).toEqual({
      To: '+447700900123',
      From: '+15017122661',
      Body: 'Sale ends tonight',
    });
    expect(h.sandbox.deliveries('twilio').map((d) => [d.recipient, d.key])).toEqual([
      ['+447700900123', request.idempotencyKey],
    ]);
    expect(twilio.maxBatchSize).toBe(1);
    expect(twilio.health?.().state).toBe('ready');
  });

  it('sends through a Messaging Service when the sender is an MG sid', async () => {
    const registry = createConnectorRegistry({
      clock: h.clock,
      sandbox: h.sandbox.urls,
      env: { ...env, TWILIO_FROM: 'MG0123456789abcdef0123456789abcdef' },
    });
    const request = sms('+14155550100');
    const result = await registry.get('twilio').perform(request);
    expect(result.outputs.status).toBe('accepted');
    expect(h.sandbox.received('twilio')[0]?.body).toMatchObject({
      MessagingServiceSid: 'MG0123456789abcdef0123456789abcdef',
    });
    await expect(registry.get('twilio').reconcile(request)).resolves.toMatchObject({
      status: 'unknown',
    });
    expect(h.sandbox.received('twilio')[1]?.query).toEqual({ To: '+14155550100', PageSize: '50' });
  });

  it('rejects batches, missing phones and empty text before calling the platform', async () => {
    const twilio = h.registry.get('twilio');
    const two = sms('+14155550100', {
      recipients: [
        { id: 'a', phone: '+14155550100' },
        { id: 'b', phone: '+14155550101' },
      ],
    });
    const cases = [
      sms(undefined),
      two,
      sms('+14155550100', { content: { mediaUrls: [], variants: [] } }),
      sms('+14155550100', { action: 'email' }),
    ];
    for (const request of cases) {
      expect((await failure(twilio.perform(request))).code).toBe('invalid_request');
    }
    expect(h.sandbox.received('twilio')).toHaveLength(0);
  });

  it('reconciles a send dropped after commit without sending it again', async () => {
    const twilio = h.registry.get('twilio');
    const request = sms('+14155550100');
    h.sandbox.inject('twilio', { kind: 'dropAfterCommit' });
    expect((await failure(twilio.perform(request))).code).toBe('unknown_outcome');
    const answer = await twilio.reconcile(request);
    expect(answer).toMatchObject({ status: 'unknown' });
    expect(answer.status === 'unknown' && answer.reason).toMatch(/same text/);
    await expect(twilio.reconcile(sms('+14155550199'))).resolves.toEqual({ status: 'not_found' });
    const posts = h.sandbox.received('twilio').filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(1);
    expect(h.sandbox.deliveries('twilio')).toHaveLength(1);
  });

  it('pages through the messages to a number and gives up after its page budget', async () => {
    const twilio = h.registry.get('twilio');
    const first = sms('+14155550100', {
      content: { text: 'first', mediaUrls: [], variants: [] },
    });
    await twilio.perform(first);
    for (let i = 0; i < 60; i++) {
      await twilio.perform(
        sms('+14155550100', { content: { text: `n${i}`, mediaUrls: [], variants: [] } }),
      );
    }
    await expect(twilio.reconcile(first)).resolves.toMatchObject({ status: 'unknown' });
    const other = sms('+14155550100', { content: { text: 'never', mediaUrls: [], variants: [] } });
    await expect(twilio.reconcile(other)).resolves.toEqual({ status: 'not_found' });
    for (let i = 60; i < 200; i++) {
      await twilio.perform(
        sms('+14155550100', { content: { text: `n${i}`, mediaUrls: [], variants: [] } }),
      );
    }
    const answer = await twilio.reconcile(first);
    expect(answer.status === 'unknown' && answer.reason).toMatch(/latest 200 messages/);
  });

  it('maps Twilio error codes and statuses to their codes', async () => {
    const twilio = h.registry.get('twilio');
    const numbers = [
      ['+15005550001', 'invalid_request', '21211'],
      ['+15005550009', 'invalid_request', '21614'],
      ['+15005550004', 'permission_denied', '21610'],
      ['555-0100', 'invalid_request', '21211'],
    ] as const;
    for (const [phone, code, platformCode] of numbers) {
      const error = await failure(twilio.perform(sms(phone)));
      expect([error.code, error.status, error.platformCode]).toEqual([code, 400, platformCode]);
    }
    const faults = [
      [{ kind: 'expiredToken' }, 'auth_expired', 401],
      [{ kind: 'versionSunset' }, 'version_sunset', 410],
      [{ kind: '5xx', status: 500 }, 'unknown_outcome', 500],
      [{ kind: '5xx', status: 503, times: 3 }, 'transient', 503],
      [{ kind: '429', retryAfterSeconds: 5, times: 3 }, 'rate_limited', 429],
    ] as const;
    for (const [fault, code, status] of faults) {
      h.sandbox.inject('twilio', fault);
      const error = await failure(twilio.perform(sms('+14155550100')));
      expect([error.code, error.status]).toEqual([code, status]);
      expect(error.message).not.toContain(TOKEN);
    }
    h.sandbox.inject('twilio', { kind: 'versionSunset' });
    const sunset = await failure(twilio.perform(sms('+14155550100')));
    expect(sunset.message).toContain('API version 2010-04-01 is retired; move to');
    const bad = await startHarness(['twilio'], { env: { ...env, TWILIO_AUTH_TOKEN: 'short' } });
    const denied = await failure(bad.registry.get('twilio').perform(sms('+14155550100')));
    expect([denied.code, denied.platformCode]).toEqual(['auth_expired', '20003']);
    await bad.sandbox.close();
  });

  it('maps statuses without a Twilio envelope', () => {
    const headers = new Headers();
    const codes = [401, 403, 404, 410, 429, 400, 502].map(
      (status) => interpretTwilio({ status, headers, body: 'oops' })?.code,
    );
    expect(codes).toEqual([
      'auth_expired',
      'permission_denied',
      'not_found',
      'version_sunset',
      'rate_limited',
      'invalid_request',
      'transient',
    ]);
    expect(interpretTwilio({ status: 404, headers, body: { code: 20404, message: 'x' } })).toEqual({
      code: 'not_found',
      platformCode: '20404',
      platformMessage: 'x',
    });
    expect(interpretTwilio({ status: 201, headers, body: {} })).toBeUndefined();
  });

  it('counts messages per day by status with their price', async () => {
    const twilio = h.registry.get('twilio');
    await twilio.perform(sms('+14155550100'));
    await twilio.perform(sms('+14155550107'));
    const early = await twilio.fetchMetrics!({ from: '2026-11-25', to: '2026-11-25' });
    expect(early).toEqual([]);
    h.clock.advanceBy(10_000);
    await twilio.perform(sms('+14155550101'));
    const rows = await twilio.fetchMetrics!({ from: '2026-11-25', to: '2026-11-25' });
    expect(rows).toEqual([
      {
        date: '2026-11-25',
        metrics: { messages: 2, sent: 0, delivered: 1, undelivered: 1, failed: 0, price: -0.0158 },
        currency: 'USD',
        timeZone: 'UTC',
      },
    ]);
    const list = h.sandbox.received('twilio').at(-1)!;
    expect(list.query).toMatchObject({ 'DateSent>': '2026-11-25', 'DateSent<': '2026-11-25' });
    await expect(twilio.fetchMetrics!({ from: '2026-11-26', to: '2026-11-27' })).resolves.toEqual(
      [],
    );
    h.clock.advanceBy(86_400_000);
    await twilio.perform(sms('+14155550102'));
    h.clock.advanceBy(10_000);
    const days = await twilio.fetchMetrics!({ from: '2026-11-25', to: '2026-11-26' });
    expect(days.map((d) => [d.date, d.metrics.messages])).toEqual([
      ['2026-11-25', 3],
      ['2026-11-26', 1],
    ]);
    const service = createConnectorRegistry({
      clock: h.clock,
      sandbox: h.sandbox.urls,
      env: { ...env, TWILIO_FROM: 'MG0123456789abcdef0123456789abcdef' },
    });
    await expect(
      service.get('twilio').fetchMetrics!({ from: '2026-11-25', to: '2026-11-25' }),
    ).resolves.toHaveLength(1);
  });

  it('names a drifted message field and a missing variable', async () => {
    h.sandbox.inject('twilio', { kind: 'schemaDrift', field: 'sid', renameTo: 'message_sid' });
    const drift = await failure(h.registry.get('twilio').perform(sms('+14155550100')));
    expect([drift.code, drift.message]).toEqual([
      'schema_drift',
      expect.stringContaining('sid') as unknown,
    ]);
    const registry = createConnectorRegistry({ env: { TWILIO_ACCOUNT_SID: SID } });
    expect(() => registry.get('twilio')).toThrow(/TWILIO_AUTH_TOKEN, TWILIO_FROM/);
  });
});
