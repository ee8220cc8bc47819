import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConnectorRegistry } from '../../src/connectors/connector-registry.js';
import { isConnectorError, type ConnectorError } from '../../src/connectors/connector-error.js';
import { excessOverQuota } from '../../src/sandbox/sliding-window.js';
import { actionRequest, startHarness, type Harness } from './connector-harness.js';

const CONNECTOR =
  'https://acme.webhook.office.com/webhookb2/g1@t1/IncomingWebhook/0123456789abcdef0123456789abcdef/canary-guid';
const WORKFLOW =
  'https://prod-01.westeurope.logic.azure.com:443/workflows/abc123/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=canary-sig';

async function failure(work: Promise<unknown>): Promise<ConnectorError> {
  try {
    await work;
  } catch (error) {
    if (isConnectorError(error)) return error;
    throw error;
  }
  throw new Error('expected a ConnectorError');
}

const notify = (overrides = {}) =>
  actionRequest({
    platform: 'teams',
    action: 'notify',
    recipients: [],
    content: {
      title: 'Launch',
      text: 'Campaign **live**',
      link: 'https://acme.test/p',
      mediaUrls: [],
      variants: [],
    },
    ...overrides,
  });

const env = (url = CONNECTOR) => ({ env: { TEAMS_WEBHOOK_URL: url } });

describe('teams connector against its sandbox', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(['teams'], { retry: { maximumAttempts: 3 }, ...env() });
  });
  afterEach(async () => {
    await h.sandbox.close();
  });

  it('posts an Adaptive Card to a connector URL on the sandbox origin', async () => {
    const teams = h.registry.get('teams');
    await expect(teams.perform(notify())).resolves.toEqual({ outputs: {}, accepted: 1 });
    const [received] = h.sandbox.received('teams');
    expect(received?.path).toBe(new URL(CONNECTOR).pathname);
    expect(received?.body).toEqual({
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          contentUrl: null,
          content: {
            $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
            type: 'AdaptiveCard',
            version: '1.4',
            body: [
              { type: 'TextBlock', text: 'Launch', weight: 'Bolder', size: 'Medium', wrap: true },
              { type: 'TextBlock', text: 'Campaign **live**', wrap: true },
            ],
            actions: [{ type: 'Action.OpenUrl', title: 'Open', url: 'https://acme.test/p' }],
          },
        },
      ],
    });
    await teams.perform(notify({ content: { text: 'only text', mediaUrls: [], variants: [] } }));
    expect(h.sandbox.deliveries('teams')).toHaveLength(2);
    expect(teams.health?.().state).toBe('ready');
  });

  it('posts to a Workflows URL, which accepts with 202 and no body', async () => {
    const flow = await startHarness(['teams'], env(WORKFLOW));
    const teams = flow.registry.get('teams');
    await expect(
      teams.perform(notify({ content: { title: 'T', mediaUrls: [], variants: [] } })),
    ).resolves.toEqual({
      outputs: {},
      accepted: 1,
    });
    const [received] = flow.sandbox.received('teams');
    expect([received?.status, received?.query.sig]).toEqual([202, 'canary-sig']);
    flow.sandbox.inject('teams', { kind: 'expiredToken' });
    const expired = await failure(teams.perform(notify()));
    expect([expired.code, expired.status]).toEqual(['auth_expired', 401]);
    expect(expired.message).not.toContain('canary');
    await flow.sandbox.close();
  });

  it('cannot reconcile a message dropped after commit and so never re-sends it', async () => {
    const teams = h.registry.get('teams');
    const request = notify();
    h.sandbox.inject('teams', { kind: 'dropAfterCommit' });
    expect((await failure(teams.perform(request))).code).toBe('unknown_outcome');
    await expect(teams.reconcile(request)).resolves.toMatchObject({ status: 'unknown' });
    expect(h.sandbox.deliveries('teams')).toHaveLength(1);
  });

  it('keeps every connector window: 4/s, 60/30 s, 100/h', async () => {
    const teams = h.registry.get('teams');
    await Promise.all(Array.from({ length: 101 }, () => teams.perform(notify())));
    const log = h.sandbox.received('teams');
    expect(log.every((r) => r.status === 200)).toBe(true);
    const times = log.map((r) => r.at);
    expect(excessOverQuota(times, 4, 1000)).toBe(0);
    expect(excessOverQuota(times, 60, 30_000)).toBe(0);
    expect(excessOverQuota(times, 100, 3_600_000)).toBe(0);
    expect(h.sandbox.deliveries('teams')).toHaveLength(101);
  });

  it('maps each answer to its code, reading 429s reported inside a 200 body', async () => {
    const teams = h.registry.get('teams');
    const cases = [
      [{ kind: '429', retryAfterSeconds: 1, times: 3 }, 'rate_limited', 200],
      [{ kind: 'versionSunset' }, 'version_sunset', 410],
      [{ kind: '5xx', status: 500 }, 'unknown_outcome', 500],
    ] as const;
    for (const [fault, code, status] of cases) {
      h.sandbox.inject('teams', fault);
      const error = await failure(teams.perform(notify()));
      expect([error.code, error.status]).toEqual([code, status]);
      expect(error.message).not.toContain('canary');
    }
    h.sandbox.inject('teams', { kind: 'versionSunset' });
    expect((await failure(teams.perform(notify()))).message).toContain(
      'API version Microsoft 365 connector is retired; move to a Workflows (Power Automate) webhook URL',
    );
    const huge = await failure(
      teams.perform(notify({ content: { text: 'x'.repeat(30_000), mediaUrls: [], variants: [] } })),
    );
    expect([huge.code, huge.status]).toEqual(['invalid_request', 413]);
    const base = h.sandbox.urls.teams!;
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return [response.status, await response.text()];
    };
    const hook = new URL(CONNECTOR).pathname;
    expect(await post(hook, { text: 'plain' })).toEqual([200, '1']);
    expect(
      (await post(hook, { type: 'message', attachments: [{ contentType: 'text/plain' }] }))[0],
    ).toBe(400);
    expect(
      (
        await post(hook, {
          type: 'message',
          attachments: [
            {
              contentType: 'application/vnd.microsoft.card.adaptive',
              content: { type: 'AdaptiveCard', actions: [{ type: 'Action.Submit' }] },
            },
          ],
        })
      )[0],
    ).toBe(400);
    expect(
      (await post('/workflows/x/triggers/manual/paths/invoke?sig=s', { type: 'note' }))[0],
    ).toBe(202);
    expect((await fetch(`${base}${hook}`)).status).toBe(405);
    expect((await post('/elsewhere', {}))[0]).toBe(404);
    h.clock.advanceBy(86_400_000);
    for (let i = 0; i < 60; i++) {
      h.clock.advanceBy(300);
      expect(await post(hook, { text: 'burst' })).toEqual([200, '1']);
    }
    h.clock.advanceBy(300);
    expect(await post(hook, { text: 'over' })).toEqual([
      200,
      expect.stringContaining('HTTP error 429'),
    ]);
  });

  it('maps removed, retired and broken webhooks, and needs a URL', async () => {
    const cases = [
      [CONNECTOR.replace('canary-guid', 'deleted-guid'), 'not_found', 404],
      [CONNECTOR.replace('canary-guid', 'retired-guid'), 'version_sunset', 410],
      [WORKFLOW.replace(/&sig=.*$/, ''), 'auth_expired', 401],
    ] as const;
    for (const [url, code, status] of cases) {
      const other = await startHarness(['teams'], env(url));
      const error = await failure(other.registry.get('teams').perform(notify()));
      expect([error.code, error.status]).toEqual([code, status]);
      await other.sandbox.close();
    }
    const bad = await failure(h.registry.get('teams').perform(notify({ action: 'post' })));
    expect(bad.code).toBe('invalid_request');
    expect(() => createConnectorRegistry({ env: {} }).get('teams')).toThrow(/TEAMS_WEBHOOK_URL/);
    expect(() => createConnectorRegistry(env('not a url')).get('teams')).toThrow(/not a URL/);
    expect(createConnectorRegistry(env()).get('teams').capabilities).toEqual(['notify']);
  });
});
