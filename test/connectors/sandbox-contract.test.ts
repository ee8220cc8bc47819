import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../src/schedule/clock.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/start-sandbox.js';

const start = Date.parse('2026-11-25T12:00:00Z');
const sg = { authorization: 'Bearer SG.test', 'content-type': 'application/json' };
const mail = (overrides: Record<string, unknown> = {}) => ({
  personalizations: [{ to: [{ email: 'a@x.test' }] }],
  from: { email: 'news@acme.test' },
  subject: 'Hi',
  content: [{ type: 'text/plain', value: 'Hello' }],
  ...overrides,
});

describe('sandbox', () => {
  let clock: SimulatedClock;
  let sandbox: Sandbox;
  let base: { sendgrid: string; slack: string };
  beforeEach(async () => {
    clock = new SimulatedClock(start, { autoAdvance: false });
    sandbox = await startSandbox({ clock, seed: 3 });
    base = { sendgrid: sandbox.urls.sendgrid!, slack: sandbox.urls.slack! };
  });
  afterEach(async () => {
    await sandbox.close();
  });

  const post = (
    platform: 'sendgrid' | 'slack',
    path: string,
    body: unknown,
    headers: Record<string, string> = sg,
  ) =>
    fetch(`${base[platform]}${path}`, {
      method: 'POST',
      headers,
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('enforces the sendgrid quota with 429, Retry-After and X-RateLimit headers', async () => {
    for (let i = 0; i < 600; i++) {
      const ok = await post(
        'sendgrid',
        '/v3/mail/send',
        mail({ personalizations: [{ to: [{ email: `r${i}@x.test` }] }] }),
      );
      expect(ok.status).toBe(202);
      if (i === 0) expect(ok.headers.get('x-ratelimit-remaining')).toBe('599');
    }
    clock.advanceBy(20_000);
    const limited = await post('sendgrid', '/v3/mail/send', mail());
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('40');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('x-ratelimit-reset')).toBe(String((start + 60_000) / 1000));
    expect(await limited.json()).toEqual({
      errors: [{ field: null, message: 'too many requests', help: null }],
    });
    clock.advanceBy(40_000);
    expect((await post('sendgrid', '/v3/mail/send', mail())).status).toBe(202);
  });

  it('applies the sendgrid mail send validation rules', async () => {
    const cases: [Record<string, unknown>, number, string][] = [
      [{ personalizations: [] }, 400, 'personalizations'],
      [{ personalizations: [{ to: [] }] }, 400, 'personalizations.0.to'],
      [
        { personalizations: [{ to: [{ email: 'a@x.test' }], cc: [{ email: 'A@x.test' }] }] },
        400,
        'personalizations.0',
      ],
      [
        { personalizations: [{ to: [{ email: 'a@x.test' }], custom_args: { n: 1 } }] },
        400,
        'personalizations.0.custom_args',
      ],
      [
        {
          personalizations: Array.from({ length: 2 }, (_, i) => ({
            to: [{ email: `${i}@x.test` }],
            bcc: Array.from({ length: 500 }, (_, j) => ({ email: `${i}-${j}@x.test` })),
          })),
        },
        400,
        'personalizations',
      ],
      [{ from: {} }, 400, 'from.email'],
      [{ from: { email: 'unverified@acme.test' } }, 403, 'from'],
      [{ subject: '' }, 400, 'subject'],
      [{ content: [] }, 400, 'content'],
      [{ categories: Array.from({ length: 11 }, (_, i) => `c${i}`) }, 400, 'categories'],
      [{ custom_args: { n: 1 } }, 400, 'custom_args'],
      [{ reply_to: { email: 'r@x.test' }, reply_to_list: [] }, 400, 'reply_to'],
      [{ send_at: start / 1000 + 73 * 3600 }, 400, 'send_at'],
    ];
    for (const [overrides, status, field] of cases) {
      const response = await post('sendgrid', '/v3/mail/send', mail(overrides));
      expect([
        response.status,
        ((await response.json()) as { errors: { field: string }[] }).errors[0]?.field,
      ]).toEqual([status, field]);
    }
    expect(
      (await post('sendgrid', '/v3/mail/send', mail({ send_at: start / 1000 + 3600 }))).status,
    ).toBe(202);
    expect(
      (await post('sendgrid', '/v3/mail/send', mail(), { authorization: 'Bearer nope' })).status,
    ).toBe(401);
    expect(sandbox.deliveries('sendgrid')).toHaveLength(1);
  });

  it('serves batches, 404 and 405 with the errors envelope', async () => {
    const created = await post('sendgrid', '/v3/mail/batch', '');
    const { batch_id } = (await created.json()) as { batch_id: string };
    expect(created.status).toBe(201);
    const get = (path: string) => fetch(`${base.sendgrid}${path}`, { headers: sg });
    expect((await get(`/v3/mail/batch/${batch_id}`)).status).toBe(200);
    expect((await get('/v3/mail/batch/nope')).status).toBe(404);
    expect((await get('/v3/mail/send')).status).toBe(405);
    expect((await get('/v3/unknown')).status).toBe(404);
    expect((await get('/v3/stats')).status).toBe(400);
  });

  it('gives the same stats for the same seed and date', async () => {
    const stats = async (url: string) =>
      (await fetch(`${url}/v3/stats?start_date=2026-11-20`, { headers: sg })).json();
    const other = await startSandbox({ platforms: ['sendgrid'], clock, seed: 3 });
    const first = (await stats(base.sendgrid)) as unknown[];
    expect(first).toHaveLength(6);
    expect(await stats(other.urls.sendgrid!)).toEqual(first);
    await other.close();
  });

  it('answers slack errors with HTTP 200 envelopes and webhooks with plain text', async () => {
    const slack = (path: string, body: unknown, token = 'xoxb-1') =>
      post('slack', path, body, {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json; charset=utf-8',
      });
    const error = async (response: Response) => [
      response.status,
      ((await response.json()) as { error: string }).error,
    ];
    expect(await error(await slack('/api/chat.postMessage', { channel: 'C1' }))).toEqual([
      200,
      'no_text',
    ]);
    expect(
      await error(
        await slack('/api/chat.postMessage', { channel: 'C1', text: 'x'.repeat(40_001) }),
      ),
    ).toEqual([200, 'msg_too_long']);
    expect(
      await error(await slack('/api/chat.postMessage', { channel: 'C1', text: 'x' }, 'bad')),
    ).toEqual([200, 'invalid_auth']);
    expect(
      await error(
        await post(
          'slack',
          '/api/chat.postMessage',
          { channel: 'C1', text: 'x' },
          { 'content-type': 'application/json' },
        ),
      ),
    ).toEqual([200, 'not_authed']);
    expect(await error(await slack('/api/chat.nope', {}))).toEqual([404, 'unknown_method']);
    const form = await post('slack', '/api/auth.test', 'token=xoxb-2', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(await form.json()).toMatchObject({ ok: true, team_id: 'T0SANDBOX' });
    const refresh = (body: string) =>
      post('slack', '/api/oauth.v2.access', body, {
        'content-type': 'application/x-www-form-urlencoded',
      });
    expect(await error(await refresh('grant_type=code'))).toEqual([200, 'invalid_grant_type']);
    expect(await error(await refresh('grant_type=refresh_token&refresh_token=r'))).toEqual([
      200,
      'invalid_client_id',
    ]);
    const hook = await post(
      'slack',
      '/services/T/B/x',
      { text: '' },
      { 'content-type': 'application/json' },
    );
    expect([hook.status, await hook.text()]).toEqual([400, 'invalid_payload']);
    const broken = await post('slack', '/services/T/B/x', '{no', {
      'content-type': 'application/json',
    });
    expect(broken.status).toBe(400);
  });

  it('limits chat.postMessage per channel and pages history newest first', async () => {
    const slack = (body: unknown) =>
      post('slack', '/api/chat.postMessage', body, {
        authorization: 'Bearer xoxb-1',
        'content-type': 'application/json',
      });
    for (let i = 0; i < 60; i++)
      expect((await slack({ channel: 'C1', text: `m${i}` })).status).toBe(200);
    const limited = await slack({ channel: 'C1', text: 'late' });
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '60']);
    expect((await slack({ channel: 'C2', text: 'other channel' })).status).toBe(200);
    const page = async (cursor: string) =>
      (await (
        await fetch(
          `${base.slack}/api/conversations.history?channel=C1&limit=50&cursor=${cursor}`,
          { headers: { authorization: 'Bearer xoxb-1' } },
        )
      ).json()) as {
        messages: { text: string }[];
        response_metadata: { next_cursor: string };
      };
    const first = await page('');
    expect(first.messages[0]?.text).toBe('m59');
    const second = await page(first.response_metadata.next_cursor);
    expect([second.messages.length, second.response_metadata.next_cursor]).toEqual([10, '']);
  });

  it('applies and clears injected faults', async () => {
    sandbox.inject('sendgrid', { kind: 'schemaDrift', field: 'nothing.here' });
    sandbox.inject('sendgrid', { kind: '5xx' });
    sandbox.clearFaults('sendgrid');
    expect((await post('sendgrid', '/v3/mail/send', mail())).status).toBe(202);
    sandbox.inject('slack', { kind: '5xx', times: 5 });
    sandbox.clearFaults();
    expect((await post('sendgrid', '/v3/mail/batch', '')).status).toBe(201);
    expect(() => sandbox.received('nope' as never)).toThrow(/not running nope/);
    await expect(startSandbox({ platforms: ['nope' as never] })).rejects.toThrow(
      /no fake for nope/,
    );
  });
});
