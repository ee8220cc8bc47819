import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Resolver } from '../../src/compliance/ssrf-guard.js';
import type { ConnectorError } from '../../src/connectors/connector-error.js';
import { createConnectorRegistry } from '../../src/connectors/connector-registry.js';
import { SimulatedClock } from '../../src/schedule/clock.js';
import { actionRequest } from './connector-harness.js';

/** A loopback server standing in for an internal service: it counts what reaches it. */
let internal: Server;
let port: number;
let reached = 0;

beforeAll(async () => {
  internal = createServer((_req, res) => {
    reached++;
    res.end('ok');
  });
  await new Promise<void>((resolve) => internal.listen(0, '127.0.0.1', resolve));
  port = (internal.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => internal.close(resolve));
});

/** Resolves every name to loopback, as a hostile DNS record would. */
const toLoopback: Resolver = () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
const toPublic: Resolver = () => Promise.resolve([{ address: '93.184.215.14', family: 4 }]);

const notify = actionRequest({
  platform: 'slack',
  action: 'notify',
  content: { text: 'Launch is live', mediaUrls: [], variants: [] },
});

async function refusal(work: Promise<unknown>): Promise<ConnectorError> {
  try {
    await work;
  } catch (error) {
    return error as ConnectorError;
  }
  throw new Error('expected the call to be refused');
}

function registry(env: Record<string, string>, options: object = {}) {
  return createConnectorRegistry({
    clock: new SimulatedClock(Date.parse('2026-11-25T12:00:00Z')),
    retry: { maximumAttempts: 1 },
    timeoutMs: 2000,
    outbound: { resolver: toLoopback },
    env,
    ...options,
  });
}

describe('outbound URLs from users and specs', () => {
  const webhooks = () => [
    `http://127.0.0.1:${String(port)}/hook`,
    `https://127.0.0.1:${String(port)}/hook`,
    `https://0x7f000001:${String(port)}/hook`,
    `https://[::1]:${String(port)}/hook`,
    'https://169.254.169.254/latest/meta-data/',
    `https://hooks.attacker.test:${String(port)}/hook`,
  ];

  it('refuses a Slack webhook URL that reaches loopback, link-local or metadata addresses', async () => {
    for (const url of webhooks()) {
      const slack = registry({ SLACK_WEBHOOK_URL: url }).get('slack');
      const error = await refusal(slack.perform(notify));
      expect(error).toMatchObject({ code: 'invalid_request', retryable: false });
      expect(error.message).toMatch(
        /^slack: refused to call .+: .+ \[(ssrf_blocked|url_protocol)\]$/,
      );
    }
    expect(reached).toBe(0);
  });

  it('refuses a Teams webhook URL and a custom base URL that reach loopback', async () => {
    const teams = registry({
      TEAMS_WEBHOOK_URL: `https://127.0.0.1:${String(port)}/webhookb2/a@b/IncomingWebhook/c/d`,
    }).get('teams');
    const teamsError = await refusal(
      teams.perform({ ...notify, platform: 'teams', content: { ...notify.content, title: 'Hi' } }),
    );
    expect(teamsError.message).toContain('refused to call 127.0.0.1');
    const sendgrid = registry({
      SENDGRID_API_KEY: 'SG.key',
      SENDGRID_FROM_EMAIL: 'news@acme.test',
      SENDGRID_BASE_URL: `https://localhost:${String(port)}`,
    }).get('sendgrid');
    const sendgridError = await refusal(sendgrid.perform(actionRequest()));
    expect(sendgridError.message).toContain('localhost is loopback');
    expect(reached).toBe(0);
  });

  it('reaches a loopback origin only when it is the sandbox, named explicitly', async () => {
    const sandbox = `http://127.0.0.1:${String(port)}`;
    const elsewhere = registry(
      { SLACK_WEBHOOK_URL: `http://127.0.0.1:${String(port + 1)}/hook` },
      { sandbox: { slack: sandbox } },
    ).get('slack');
    expect((await refusal(elsewhere.perform(notify))).code).toBe('invalid_request');
    expect(reached).toBe(0);
    const slack = registry(
      { SLACK_WEBHOOK_URL: `${sandbox}/hook` },
      { sandbox: { slack: sandbox } },
    ).get('slack');
    await expect(slack.perform(notify)).resolves.toMatchObject({ accepted: 1 });
    expect(reached).toBe(1);
  });

  it('calls a public https webhook once its name resolves to public addresses only', async () => {
    const seen: string[] = [];
    const slack = registry(
      { SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T0/B0/x' },
      {
        outbound: { resolver: toPublic },
        fetch: (input: string | URL | Request) => {
          seen.push(String(input));
          return Promise.resolve(new Response('ok'));
        },
      },
    ).get('slack');
    await slack.perform(notify);
    await slack.perform(notify);
    expect(seen).toEqual([
      'https://hooks.slack.com/services/T0/B0/x',
      'https://hooks.slack.com/services/T0/B0/x',
    ]);
  });
});
