import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isConnectorError, type ConnectorError } from '../../src/connectors/connector-error.js';
import { createConnectorRegistry } from '../../src/connectors/connector-registry.js';
import {
  interpretMailchimp,
  subscriberHash,
} from '../../src/connectors/mailchimp/mailchimp-connector.js';
import { actionRequest, startHarness, type Harness } from './connector-harness.js';

const KEY = 'c0ffee00c0ffee00c0ffee00c0ffee00-us1';
const env = {
  MAILCHIMP_API_KEY: KEY,
  MAILCHIMP_LIST_ID: 'a1b2c3d4e5',
  MAILCHIMP_FROM_NAME: 'Acme',
  MAILCHIMP_REPLY_TO: 'news@acme.test',
};

async function failure(work: Promise<unknown>): Promise<ConnectorError> {
  try {
    await work;
  } catch (error) {
    if (isConnectorError(error)) return error;
    throw error;
  }
  throw new Error('expected a ConnectorError');
}

const people = [
  { id: 'a', email: 'Ann@Example.com' },
  { id: 'b', email: 'bob@example.com' },
];
const sync = (recipients: { id: string; email?: string }[] = people, overrides = {}) =>
  actionRequest({ platform: 'mailchimp', action: 'audience_sync', recipients, ...overrides });
const mail = (overrides = {}) =>
  actionRequest({
    platform: 'mailchimp',
    action: 'email',
    recipients: people,
    content: { subject: 'Winter sale', html: '<p>Hi</p>', text: 'Hi', mediaUrls: [], variants: [] },
    ...overrides,
  });

describe('mailchimp connector against its sandbox', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(['mailchimp'], { env, retry: { maximumAttempts: 3 } });
  });
  afterEach(async () => {
    await h.sandbox.close();
  });

  it('upserts members by MD5 of the address and reads them back on reconcile', async () => {
    const mailchimp = h.registry.get('mailchimp');
    await expect(mailchimp.perform(sync())).resolves.toEqual({
      outputs: { listId: 'a1b2c3d4e5' },
      accepted: 2,
    });
    const first = h.sandbox
      .received('mailchimp')
      .find((r) => (r.body as { email_address?: string }).email_address === 'Ann@Example.com');
    expect(first?.method).toBe('PUT');
    expect(first?.path).toBe(`/3.0/lists/a1b2c3d4e5/members/${subscriberHash('ann@example.com')}`);
    expect(first?.body).toEqual({ email_address: 'Ann@Example.com', status_if_new: 'subscribed' });
    expect(first?.headers.authorization).toBe(
      `Basic ${Buffer.from(`herald:${KEY}`).toString('base64')}`,
    );
    await expect(mailchimp.reconcile(sync())).resolves.toMatchObject({ status: 'done' });
    await expect(
      mailchimp.reconcile(sync([{ id: 'c', email: 'new@example.com' }])),
    ).resolves.toEqual({
      status: 'not_found',
    });
    h.sandbox.inject('mailchimp', { kind: 'expiredToken' });
    expect((await failure(mailchimp.reconcile(sync()))).code).toBe('auth_expired');
    const refused = await failure(
      mailchimp.perform(
        sync([{ id: 'u', email: 'unsubscribed@example.com' }], { options: { status: 'pending' } }),
      ),
    );
    expect([refused.code, refused.platformCode]).toEqual([
      'permission_denied',
      'Member In Compliance State',
    ]);
    expect(mailchimp.health?.().state).toBe('ready');
  });

  it('sends a titled campaign to a static segment of the batch and reconciles it by title', async () => {
    const mailchimp = h.registry.get('mailchimp');
    await mailchimp.perform(sync());
    const request = mail({ recipients: [...people, { id: 'z', email: 'stranger@example.com' }] });
    const result = await mailchimp.perform(request);
    expect(result).toEqual({
      externalId: expect.any(String) as unknown,
      outputs: { campaignId: result.externalId },
      accepted: 2,
    });
    const paths = h.sandbox
      .received('mailchimp')
      .slice(2)
      .map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual([
      'POST /3.0/lists/a1b2c3d4e5/segments',
      'POST /3.0/campaigns',
      `PUT /3.0/campaigns/${result.externalId!}/content`,
      `POST /3.0/campaigns/${result.externalId!}/actions/send`,
    ]);
    expect(h.sandbox.received('mailchimp')[3]?.body).toMatchObject({
      settings: {
        title: `herald:${request.idempotencyKey}`,
        from_name: 'Acme',
        reply_to: 'news@acme.test',
      },
    });
    expect(h.sandbox.deliveries('mailchimp').map((d) => [d.recipient, d.key])).toEqual([
      ['Ann@Example.com', request.idempotencyKey],
      ['bob@example.com', request.idempotencyKey],
    ]);
    await expect(mailchimp.reconcile(request)).resolves.toMatchObject({
      status: 'done',
      result: { externalId: result.externalId },
    });
    await expect(mailchimp.reconcile(mail())).resolves.toEqual({ status: 'not_found' });
  });

  it('reconciles a send dropped after commit without sending twice', async () => {
    const mailchimp = h.registry.get('mailchimp');
    await mailchimp.perform(sync());
    const request = mail();
    h.sandbox.inject('mailchimp', { kind: 'dropAfterCommit', path: '/3.0/campaigns' });
    expect((await failure(mailchimp.perform(request))).code).toBe('unknown_outcome');
    const draft = await mailchimp.reconcile(request);
    expect(draft.status === 'unknown' && draft.reason).toMatch(/created but is save/);
    const again = mail();
    const sendPath = (id: string) => `/3.0/campaigns/${id}/actions/send`;
    const created = await failure(
      (async () => {
        const registry = createConnectorRegistry({
          clock: h.clock,
          sandbox: h.sandbox.urls,
          env,
          fetch: async (input, init) => {
            const url = String(input);
            if (url.endsWith('/content')) {
              const id = url.split('/').at(-2)!;
              h.sandbox.inject('mailchimp', { kind: 'dropAfterCommit', path: sendPath(id) });
            }
            return fetch(input, init);
          },
        });
        return registry.get('mailchimp').perform(again);
      })(),
    );
    expect(created.code).toBe('unknown_outcome');
    await expect(mailchimp.reconcile(again)).resolves.toMatchObject({ status: 'done' });
    expect(h.sandbox.deliveries('mailchimp')).toHaveLength(2);
    expect(
      h.sandbox.received('mailchimp').filter((r) => r.path.endsWith('/actions/send')),
    ).toHaveLength(1);
  });

  it('schedules on a quarter hour and refuses other times', async () => {
    const mailchimp = h.registry.get('mailchimp');
    await mailchimp.perform(sync());
    const request = mail({ options: { scheduleTime: '2026-11-26T09:15:00Z', timewarp: true } });
    await mailchimp.perform(request);
    expect(h.sandbox.received('mailchimp').at(-1)?.body).toEqual({
      schedule_time: '2026-11-26T09:15:00Z',
      timewarp: true,
    });
    await expect(mailchimp.reconcile(request)).resolves.toMatchObject({ status: 'done' });
    const odd = await failure(
      mailchimp.perform(mail({ options: { scheduleTime: '2026-11-26T09:10:00Z' } })),
    );
    expect([odd.code, odd.status]).toEqual(['invalid_request', 400]);
  });

  it('keeps at most 10 requests in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const registry = createConnectorRegistry({
      clock: h.clock,
      sandbox: h.sandbox.urls,
      env,
      fetch: async (input, init) => {
        inFlight++;
        most = Math.max(most, inFlight);
        try {
          return await fetch(input, init);
        } finally {
          inFlight--;
        }
      },
    });
    const recipients = Array.from({ length: 40 }, (_, i) => ({
      id: `r${i}`,
      email: `r${i}@example.com`,
    }));
    await expect(registry.get('mailchimp').perform(sync(recipients))).resolves.toMatchObject({
      accepted: 40,
    });
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(10);
  });

  it('rejects requests it cannot map before calling the platform', async () => {
    const mailchimp = h.registry.get('mailchimp');
    const cases = [
      sync([{ id: 'x' }]),
      mail({ content: { mediaUrls: [], variants: [] } }),
      mail({ action: 'sms' }),
    ];
    for (const request of cases)
      expect((await failure(mailchimp.perform(request))).code).toBe('invalid_request');
    expect(h.sandbox.received('mailchimp')).toHaveLength(0);
  });

  it('maps problem+json errors to their codes', async () => {
    const mailchimp = h.registry.get('mailchimp');
    const faults = [
      [{ kind: 'expiredToken' }, 'auth_expired', 'API Key Invalid'],
      [{ kind: 'versionSunset' }, 'version_sunset', 'Gone'],
      [{ kind: '5xx', status: 500 }, 'unknown_outcome', 'Internal Server Error'],
      [{ kind: '5xx', status: 503, times: 3 }, 'transient', 'Internal Server Error'],
      [{ kind: '429', retryAfterSeconds: 2, times: 3 }, 'rate_limited', 'Too Many Requests'],
    ] as const;
    for (const [fault, code, title] of faults) {
      h.sandbox.inject('mailchimp', fault);
      const error = await failure(mailchimp.perform(mail()));
      expect([error.code, error.platformCode]).toEqual([code, title]);
      expect(error.message).not.toContain(KEY);
    }
    h.sandbox.inject('mailchimp', { kind: 'versionSunset' });
    expect((await failure(mailchimp.perform(mail()))).message).toContain(
      'API version 3.0 is retired',
    );
    const headers = new Headers();
    const codes = [403, 401, 404, 400, 502].map(
      (status) => interpretMailchimp({ status, headers, body: '' })?.code,
    );
    expect(codes).toEqual([
      'rate_limited',
      'auth_expired',
      'not_found',
      'invalid_request',
      'transient',
    ]);
    const forbidden = { title: 'Forbidden', status: 403, detail: 'plan' };
    expect(interpretMailchimp({ status: 403, headers, body: forbidden })?.code).toBe(
      'permission_denied',
    );
  });

  it('reads campaign reports with native names and rates', async () => {
    const mailchimp = h.registry.get('mailchimp');
    await mailchimp.perform(sync());
    const { externalId } = await mailchimp.perform(mail());
    const rows = await mailchimp.fetchMetrics!({ from: '2026-11-25', to: '2026-11-25' });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ date: '2026-11-25', entity: externalId, timeZone: 'UTC' });
    expect(rows[0]?.metrics).toMatchObject({ emails_sent: 2, 'bounces.hard_bounces': 0 });
    expect(rows[0]?.metrics['opens.open_rate']).toBeLessThanOrEqual(1);
    expect(rows[0]?.metrics).not.toHaveProperty('opens.last_open');
    await expect(
      mailchimp.fetchMetrics!({ from: '2026-11-24', to: '2026-11-24' }),
    ).resolves.toEqual([]);
    await expect(
      mailchimp.fetchMetrics!({ from: 'x', to: 'x', entities: [externalId!] }),
    ).resolves.toEqual(rows);
    const draft = await failure(
      mailchimp.fetchMetrics!({ from: 'x', to: 'x', entities: ['nope'] }),
    );
    expect(draft.code).toBe('not_found');
  });

  it('derives the data centre from the key and names missing settings', () => {
    expect(createConnectorRegistry({ env }).get('mailchimp').capabilities).toContain(
      'sync_audience',
    );
    expect(() =>
      createConnectorRegistry({ env: { ...env, MAILCHIMP_API_KEY: 'nodc' } }).get('mailchimp'),
    ).toThrow(/data-centre suffix/);
    expect(() =>
      createConnectorRegistry({ env: { MAILCHIMP_API_KEY: KEY } }).get('mailchimp'),
    ).toThrow(/MAILCHIMP_LIST_ID, MAILCHIMP_FROM_NAME, MAILCHIMP_REPLY_TO/);
  });
});
