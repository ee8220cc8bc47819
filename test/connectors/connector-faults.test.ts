import { afterEach, describe, expect, it } from 'vitest';
import { isConnectorError, type ConnectorError } from '../../src/connectors/connector-error.js';
import { createConnectorRegistry } from '../../src/connectors/connector-registry.js';
import { maxInRollingWindow } from '../../src/sandbox/sliding-window.js';
import {
  actionRequest,
  SENDGRID_KEY,
  SLACK_TOKEN,
  startHarness,
  type Harness,
} from './connector-harness.js';

async function failure(work: Promise<unknown>): Promise<ConnectorError> {
  try {
    await work;
  } catch (error) {
    if (isConnectorError(error)) return error;
    throw error;
  }
  throw new Error('expected a ConnectorError');
}

const notify = (channel: string) =>
  actionRequest({
    platform: 'slack',
    action: 'notify',
    recipients: [],
    content: { text: 'hello', channel, mediaUrls: [], variants: [] },
  });

let harnesses: Harness[] = [];
async function harness(...args: Parameters<typeof startHarness>): Promise<Harness> {
  const h = await startHarness(...args);
  harnesses.push(h);
  return h;
}
afterEach(async () => {
  await Promise.all(harnesses.map((h) => h.sandbox.close()));
  harnesses = [];
});

describe('connector faults', () => {
  it('rides out a 429 storm sending nothing before Retry-After and nothing above the quota', async () => {
    const h = await harness(['sendgrid']);
    h.sandbox.inject('sendgrid', {
      kind: '429',
      retryAfterSeconds: 7,
      times: 4,
      path: '/v3/mail/send',
    });
    const sendgrid = h.registry.get('sendgrid');
    const requests = Array.from({ length: 50 }, (_, i) =>
      actionRequest({ recipients: [{ id: `r${i}`, email: `r${i}@x.test` }] }),
    );
    await Promise.all(requests.map((r) => sendgrid.perform(r)));
    const log = h.sandbox.received('sendgrid');
    const limited = log.filter((r) => r.status === 429);
    expect(limited).toHaveLength(4);
    for (const answer of limited) {
      const later = log.filter((r) => r.at > answer.at);
      expect(later.every((r) => r.at >= answer.at + 7000)).toBe(true);
    }
    expect(
      maxInRollingWindow(
        log.map((r) => r.at),
        60_000,
      ),
    ).toBeLessThanOrEqual(600);
    const recipients = h.sandbox.deliveries('sendgrid').map((d) => d.recipient);
    expect(new Set(recipients).size).toBe(50);
    expect(recipients).toHaveLength(50);
    expect(sendgrid.health?.().counters.rateLimited).toBeGreaterThan(0);
  });

  it('refreshes an expired token exactly once under 50 concurrent requests', async () => {
    const h = await harness(['slack'], {
      env: {
        SLACK_BOT_TOKEN: 'xoxe.xoxb-canary-rotating',
        SLACK_REFRESH_TOKEN: 'xoxe-1-canary-refresh',
        SLACK_CLIENT_ID: '123.456',
        SLACK_CLIENT_SECRET: 'canary-client-secret',
      },
    });
    const slack = h.registry.get('slack');
    await slack.perform(notify('C0'));
    h.sandbox.inject('slack', { kind: 'expiredToken' });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => slack.perform(notify(`C${i + 1}`))),
    );
    expect(results).toHaveLength(50);
    const refreshes = h.sandbox.received('slack').filter((r) => r.path === '/api/oauth.v2.access');
    expect(refreshes).toHaveLength(1);
    const channels = h.sandbox.deliveries('slack').map((d) => d.recipient);
    expect(new Set(channels).size).toBe(51);
    expect(channels).toHaveLength(51);
  });

  it('reconciles a send whose connection dropped after commit instead of re-sending it', async () => {
    const h = await harness(['slack', 'sendgrid']);
    const slack = h.registry.get('slack');
    const request = notify('C9');
    h.sandbox.inject('slack', { kind: 'dropAfterCommit', path: '/api/chat.postMessage' });
    const error = await failure(slack.perform(request));
    expect(error.code).toBe('unknown_outcome');
    await expect(slack.reconcile(request)).resolves.toMatchObject({ status: 'done' });
    expect(
      h.sandbox.received('slack').filter((r) => r.path === '/api/chat.postMessage'),
    ).toHaveLength(1);

    const sendgrid = h.registry.get('sendgrid');
    h.sandbox.inject('sendgrid', { kind: 'dropAfterCommit' });
    const mail = actionRequest();
    expect((await failure(sendgrid.perform(mail))).code).toBe('unknown_outcome');
    await expect(sendgrid.reconcile(mail)).resolves.toMatchObject({ status: 'unknown' });
    expect(h.sandbox.received('sendgrid')).toHaveLength(1);
    expect(h.sandbox.deliveries('sendgrid')).toHaveLength(1);
  });

  it('opens the circuit after repeated outages and closes it after a good probe', async () => {
    const h = await harness(['sendgrid'], {
      failureThreshold: 3,
      resetTimeoutMs: 10_000,
      retry: { maximumAttempts: 3 },
    });
    const sendgrid = h.registry.get('sendgrid');
    const query = { from: '2026-01-01', to: '2026-01-02' };
    h.sandbox.inject('sendgrid', { kind: '5xx', status: 503, times: 4 });
    expect((await failure(sendgrid.fetchMetrics!(query))).code).toBe('transient');
    expect(sendgrid.health?.().state).toBe('circuitOpen');
    const open = await failure(sendgrid.fetchMetrics!(query));
    expect([open.message, open.retryAfterMs]).toEqual([
      'sendgrid: circuit open after repeated failures; not calling the platform',
      10_000,
    ]);
    expect(h.sandbox.received('sendgrid')).toHaveLength(3);
    h.clock.advanceBy(10_000);
    expect((await failure(sendgrid.fetchMetrics!(query))).code).toBe('transient');
    expect(sendgrid.health?.().state).toBe('circuitOpen');
    h.clock.advanceBy(10_000);
    const [probe, second] = await Promise.allSettled([
      sendgrid.fetchMetrics!(query),
      sendgrid.fetchMetrics!(query),
    ]);
    expect(probe).toMatchObject({ status: 'fulfilled', value: { length: 2 } });
    expect(second).toMatchObject({
      status: 'rejected',
      reason: { code: 'transient', retryAfterMs: 0 },
    });
    await expect(sendgrid.fetchMetrics!(query)).resolves.toHaveLength(2);
    expect(sendgrid.health?.()).toMatchObject({
      state: 'ready',
      counters: { consecutiveFailures: 0 },
    });
  });

  it('retries a timed-out read but reports a timed-out send as an unknown outcome', async () => {
    const h = await harness(['sendgrid'], { timeoutMs: 100 });
    const sendgrid = h.registry.get('sendgrid');
    h.sandbox.inject('sendgrid', { kind: 'timeout' });
    const error = await failure(sendgrid.perform(actionRequest()));
    expect([error.code, error.message]).toEqual([
      'unknown_outcome',
      'sendgrid: no response (timed out); the platform may have acted',
    ]);
    h.sandbox.inject('sendgrid', { kind: 'timeout' });
    await expect(
      sendgrid.fetchMetrics!({ from: '2026-01-01', to: '2026-01-01' }),
    ).resolves.toHaveLength(1);
  });

  it('retries a refused connection and gives up after maximumAttempts', async () => {
    const h = await harness(['sendgrid']);
    await h.sandbox.close();
    harnesses = [];
    const error = await failure(h.registry.get('sendgrid').perform(actionRequest()));
    expect([error.code, error.message]).toEqual([
      'transient',
      'sendgrid: connection refused before the request was sent',
    ]);
  });

  it('rethrows the caller abort instead of a connector error', async () => {
    const h = await harness(['sendgrid']);
    h.sandbox.inject('sendgrid', { kind: 'timeout' });
    const controller = new AbortController();
    const sent = h.registry.get('sendgrid').perform(actionRequest({ signal: controller.signal }));
    setTimeout(() => controller.abort(new Error('stopped by test')), 20);
    await expect(sent).rejects.toThrow('stopped by test');
  });

  it('never puts a credential into an error even when the platform echoes it', async () => {
    const echo: typeof fetch = (input, init) => {
      const headers = new Headers(init?.headers);
      const auth = headers.get('authorization') ?? '';
      return Promise.resolve(
        new Response(
          JSON.stringify({
            errors: [{ message: `bad credential ${auth}`, field: null }],
            ok: false,
            error: `invalid_auth ${auth}`,
          }),
          {
            status: String(input).includes('slack') || String(input).includes('/api/') ? 200 : 400,
            headers: { 'content-type': 'application/json' },
          },
        ),
      );
    };
    const registry = createConnectorRegistry({
      fetch: echo,
      env: {
        SENDGRID_API_KEY: SENDGRID_KEY,
        SENDGRID_FROM_EMAIL: 'a@acme.test',
        SLACK_BOT_TOKEN: SLACK_TOKEN,
      },
      sandbox: { sendgrid: 'http://sendgrid.invalid', slack: 'http://slack.invalid' },
    });
    const errors = [
      await failure(registry.get('sendgrid').perform(actionRequest())),
      await failure(registry.get('slack').perform(notify('C1'))),
    ];
    for (const error of errors) {
      const fields = Object.fromEntries(
        Object.getOwnPropertyNames(error).map((k) => [
          k,
          (error as unknown as Record<string, unknown>)[k],
        ]),
      );
      const dump = JSON.stringify(fields);
      expect(dump).toContain('[redacted]');
      expect(dump).not.toContain('canary');
    }
  });
});
