import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isConnectorError, type ConnectorError } from '../../src/connectors/connector-error.js';
import { actionRequest, startHarness, type Harness } from './connector-harness.js';

async function failure(work: Promise<unknown>): Promise<ConnectorError> {
  try {
    await work;
  } catch (error) {
    if (isConnectorError(error)) return error;
    throw error;
  }
  throw new Error('expected a ConnectorError');
}

const notify = (channel: string | undefined, overrides = {}) =>
  actionRequest({
    platform: 'slack',
    action: 'notify',
    recipients: [],
    content: {
      text: 'Launch is live',
      link: 'https://acme.test/post',
      mediaUrls: [],
      variants: [],
      ...(channel ? { channel } : {}),
    },
    ...overrides,
  });

describe('slack connector against its sandbox', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(['slack'], { retry: { maximumAttempts: 3 } });
  });
  afterEach(async () => {
    await h.sandbox.close();
  });

  it('posts with metadata and reconciles the key to the same message when asked later', async () => {
    const slack = h.registry.get('slack');
    const request = notify('C1');
    const result = await slack.perform(request);
    expect(result.outputs).toEqual({ channel: 'C1', ts: result.externalId });
    expect(h.sandbox.received('slack')[0]?.body).toMatchObject({
      channel: 'C1',
      text: 'Launch is live\nhttps://acme.test/post',
      metadata: {
        event_type: 'herald_action',
        event_payload: { idempotency_key: request.idempotencyKey },
      },
    });
    await expect(slack.reconcile(request)).resolves.toEqual({ status: 'done', result });
    await expect(slack.reconcile(notify('C1'))).resolves.toEqual({ status: 'not_found' });
    expect(slack.health?.().state).toBe('ready');
  });

  it('pages through history and answers unknown past its page budget', async () => {
    const slack = h.registry.get('slack');
    const first = notify('C2');
    await slack.perform(first);
    for (let i = 0; i < 5; i++) await slack.perform(notify('C2'));
    await expect(slack.reconcile(first)).resolves.toMatchObject({ status: 'done' });
    const many = await startHarness(['slack']);
    const old = notify('C3');
    const connector = many.registry.get('slack');
    await connector.perform(old);
    for (let i = 0; i < 1000; i++) await connector.perform(notify('C3'));
    await expect(connector.reconcile(old)).resolves.toMatchObject({ status: 'unknown' });
    expect(many.sandbox.deliveries('slack')).toHaveLength(1001);
    await many.sandbox.close();
  });

  it('maps logical errors answered with HTTP 200 to their codes', async () => {
    const slack = h.registry.get('slack');
    const cases = [
      ['C-missing', 'not_found', 'channel_not_found'],
      ['C-archived', 'permission_denied', 'is_archived'],
      ['C-private', 'permission_denied', 'not_in_channel'],
    ] as const;
    for (const [channel, code, platformCode] of cases) {
      const error = await failure(slack.perform(notify(channel)));
      expect([error.code, error.status, error.platformCode]).toEqual([code, 200, platformCode]);
    }
    h.sandbox.inject('slack', { kind: 'versionSunset' });
    expect((await failure(slack.perform(notify('C1')))).code).toBe('version_sunset');
    h.sandbox.inject('slack', { kind: '5xx', status: 503 });
    h.sandbox.inject('slack', { kind: '5xx', status: 500 });
    const outage = await failure(slack.perform(notify('C1')));
    expect([outage.code, outage.status]).toEqual(['unknown_outcome', 500]);
    const bad = await failure(slack.perform(notify('C1', { action: 'post' })));
    expect(bad.code).toBe('invalid_request');
  });

  it('treats an invalid token as expired and does not retry it', async () => {
    const bad = await startHarness(['slack'], { env: { SLACK_BOT_TOKEN: 'bogus' } });
    const error = await failure(bad.registry.get('slack').perform(notify('C1')));
    expect([error.code, error.platformCode]).toEqual(['auth_expired', 'invalid_auth']);
    expect(bad.sandbox.received('slack')).toHaveLength(1);
    await bad.sandbox.close();
  });

  it('posts through an incoming webhook and cannot reconcile it', async () => {
    const hook = await startHarness(['slack'], { env: {} });
    const url = `${hook.sandbox.urls.slack!}/services/T1/B1/secret-canary-hook`;
    const registry = (
      await import('../../src/connectors/connector-registry.js')
    ).createConnectorRegistry({
      clock: hook.clock,
      env: { SLACK_WEBHOOK_URL: url },
      // The sandbox's loopback is reachable only when named.
      outbound: { allowlist: [hook.sandbox.urls.slack!] },
    });
    const slack = registry.get('slack');
    await expect(slack.perform(notify(undefined))).resolves.toEqual({ outputs: {}, accepted: 1 });
    await expect(slack.reconcile(notify(undefined))).resolves.toMatchObject({ status: 'unknown' });
    const empty = await failure(
      slack.perform(notify(undefined, { content: { text: '', mediaUrls: [], variants: [] } })),
    );
    expect(empty.code).toBe('invalid_request');
    const revoked = (
      await import('../../src/connectors/connector-registry.js')
    ).createConnectorRegistry({
      clock: hook.clock,
      env: { SLACK_WEBHOOK_URL: `${hook.sandbox.urls.slack!}/services/T1/B1/revoked-canary-hook` },
      outbound: { allowlist: [hook.sandbox.urls.slack!] },
    });
    const gone = await failure(revoked.get('slack').perform(notify(undefined)));
    expect([gone.code, gone.status, gone.platformCode]).toEqual(['not_found', 404, 'no_service']);
    expect(gone.message).not.toContain('revoked-canary-hook');
    await hook.sandbox.close();
  });

  it('requires a token or a webhook, and client credentials with a refresh token', async () => {
    const { createConnectorRegistry } = await import('../../src/connectors/connector-registry.js');
    expect(() => createConnectorRegistry({ env: {} }).get('slack')).toThrow(
      /SLACK_BOT_TOKEN or SLACK_WEBHOOK_URL/,
    );
    expect(() =>
      createConnectorRegistry({ env: { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_REFRESH_TOKEN: 'r' } }).get(
        'slack',
      ),
    ).toThrow(/SLACK_CLIENT_ID, SLACK_CLIENT_SECRET/);
  });
});
