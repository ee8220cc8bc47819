import { afterEach, describe, expect, it } from 'vitest';
import { isConnectorError, type ConnectorError } from '../../src/connectors/connector-error.js';
import { createConnectorRegistry } from '../../src/connectors/connector-registry.js';
import { SimulatedClock } from '../../src/schedule/clock.js';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/sandbox-credentials.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/start-sandbox.js';

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

/** A registry on the sandbox with `env` over the sandbox's credentials, `fetch` optional. */
async function registry(env: Record<string, string> = {}, fetch?: typeof globalThis.fetch) {
  sandbox = await startSandbox({ platforms: ['sendgrid', 'twilio', 'slack'] });
  return createConnectorRegistry({
    clock: new SimulatedClock(Date.parse('2026-11-25T12:00:00Z')),
    sandbox: sandbox.urls,
    env: { ...SANDBOX_CREDENTIALS, ...env },
    retry: { maximumAttempts: 1 },
    ...(fetch ? { fetch } : {}),
  });
}

/** Answers every request with `body` (status 200). */
const answering =
  (body: unknown): typeof globalThis.fetch =>
  () =>
    Promise.resolve(
      new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } }),
    );

async function failure(work: Promise<unknown>): Promise<ConnectorError> {
  try {
    await work;
  } catch (error) {
    if (isConnectorError(error)) return error;
    throw error;
  }
  throw new Error('expected a ConnectorError');
}

describe('verify', () => {
  it('names the sender identity when a SendGrid key may send mail', async () => {
    const connectors = await registry();
    expect(await connectors.get('sendgrid').verify!()).toEqual({
      account: 'sender news@herald.example',
    });
    expect(sandbox!.deliveries('sendgrid')).toEqual([]);
  });

  it('refuses a SendGrid key without the Mail Send permission', async () => {
    const connectors = await registry({}, answering({ scopes: ['stats.read'] }));
    const error = await failure(connectors.get('sendgrid').verify!());
    expect(error.code).toBe('permission_denied');
    expect(error.message).toContain('"Mail Send" permission');
  });

  it('is refused by SendGrid for a wrong key', async () => {
    const connectors = await registry({ SENDGRID_API_KEY: 'wrong' });
    expect((await failure(connectors.get('sendgrid').verify!())).code).toBe('auth_expired');
  });

  it('names the Twilio account and its type when it is active', async () => {
    const connectors = await registry();
    expect(await connectors.get('twilio').verify!()).toEqual({
      account: 'Herald sandbox',
      tier: 'Full',
    });
  });

  it('refuses a suspended Twilio account', async () => {
    const connectors = await registry(
      {},
      answering({ sid: 'AC1', friendly_name: 'Shop', status: 'suspended', type: 'Trial' }),
    );
    const error = await failure(connectors.get('twilio').verify!());
    expect(error.code).toBe('permission_denied');
    expect(error.message).toContain('is suspended');
  });

  it('names the Slack workspace of a bot token, and says a webhook cannot be checked', async () => {
    const connectors = await registry();
    expect(await connectors.get('slack').verify!()).toEqual({ account: 'T0SANDBOX' });
    const hook = createConnectorRegistry({
      env: { SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/x' },
    });
    expect((await hook.get('slack').verify!()).account).toContain('incoming webhook');
  });
});
