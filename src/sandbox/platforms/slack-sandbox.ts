/**
 * @module
 * Fake Slack (contract: docs/platforms/slack.md): `chat.postMessage`,
 * `conversations.history` with cursor paging and metadata, `oauth.v2.access` token rotation,
 * `auth.test`, and incoming webhooks under `/services/…` answering plain text. Logical errors
 * are HTTP 200 `{ ok: false, error }`; only rate limits are 429 with Retry-After.
 *
 * Sandbox conventions: tokens start with `xox`; channels whose id contains `missing` do not
 * exist, `archived` are archived, `private` lack the bot; a webhook path containing `revoked`
 * answers `no_service`.
 */
import type {
  PlatformSandbox,
  QuotaLane,
  ReceivedRequest,
  SandboxContext,
  SandboxResponse,
} from '../sandbox-types.js';

/** `chat.postMessage`, per channel: about one per second. */
export const SLACK_SANDBOX_POST_QUOTA = { limit: 60, windowMs: 60_000 } as const;
/** `conversations.history`: Tier 3. */
export const SLACK_SANDBOX_HISTORY_QUOTA = { limit: 50, windowMs: 60_000 } as const;

interface Message {
  readonly ts: string;
  readonly text: string;
  readonly metadata?: unknown;
}

const fail = (error: string, extra: Record<string, unknown> = {}): SandboxResponse => ({
  status: 200,
  body: { ok: false, error, ...extra },
});

/** Builds the fake Slack. */
export function createSlackSandbox(context: SandboxContext): PlatformSandbox {
  const channels = new Map<string, Message[]>();
  const expired = new Set<string>();
  const seen = new Set<string>();
  let serial = 0;
  let issued = 0;

  const nextTs = (): string => {
    serial++;
    return `${Math.floor(context.clock.now() / 1000)}.${String(serial).padStart(6, '0')}`;
  };

  const tokenOf = (request: ReceivedRequest): string | undefined => {
    const header = request.headers.authorization ?? '';
    if (header.startsWith('Bearer ')) return header.slice('Bearer '.length);
    const form = request.body as Record<string, unknown> | undefined;
    return typeof form?.token === 'string' ? form.token : undefined;
  };

  const channelError = (channel: unknown): SandboxResponse | undefined => {
    if (typeof channel !== 'string' || channel === '' || channel.includes('missing'))
      return fail('channel_not_found');
    if (channel.includes('archived')) return fail('is_archived');
    if (channel.includes('private')) return fail('not_in_channel');
    return undefined;
  };

  const postMessage = (body: Record<string, unknown>): SandboxResponse => {
    const problem = channelError(body.channel);
    if (problem) return problem;
    const text = typeof body.text === 'string' ? body.text : '';
    if (text === '' && body.blocks === undefined) return fail('no_text');
    if (text.length > 40_000) return fail('msg_too_long');
    const channel = String(body.channel);
    const message: Message = {
      ts: nextTs(),
      text,
      ...(body.metadata ? { metadata: body.metadata } : {}),
    };
    channels.set(channel, [...(channels.get(channel) ?? []), message]);
    const payload = (body.metadata as { event_payload?: { idempotency_key?: unknown } } | undefined)
      ?.event_payload;
    context.deliver({
      recipient: channel,
      messageId: message.ts,
      key: typeof payload?.idempotency_key === 'string' ? payload.idempotency_key : undefined,
    });
    return {
      status: 200,
      body: {
        ok: true,
        channel,
        ts: message.ts,
        message: { type: 'message', text, ts: message.ts, bot_id: 'B0SANDBOX' },
      },
    };
  };

  const history = (query: Readonly<Record<string, string>>): SandboxResponse => {
    const problem = channelError(query.channel);
    if (problem) return problem;
    const newestFirst = [...(channels.get(query.channel!) ?? [])].reverse();
    const limit = Math.min(Number(query.limit ?? 100), 1000);
    const start = Number(query.cursor ? Buffer.from(query.cursor, 'base64').toString('utf8') : 0);
    const page = newestFirst.slice(start, start + limit);
    const more = start + limit < newestFirst.length;
    const withMetadata = query.include_all_metadata === 'true';
    return {
      status: 200,
      body: {
        ok: true,
        messages: page.map((m) => ({
          type: 'message',
          ts: m.ts,
          text: m.text,
          ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}),
        })),
        has_more: more,
        response_metadata: {
          next_cursor: more ? Buffer.from(String(start + limit)).toString('base64') : '',
        },
      },
    };
  };

  const refresh = (form: Record<string, unknown>): SandboxResponse => {
    if (form.grant_type !== 'refresh_token' || typeof form.refresh_token !== 'string')
      return fail('invalid_grant_type');
    if (typeof form.client_id !== 'string' || typeof form.client_secret !== 'string')
      return fail('invalid_client_id');
    issued++;
    return {
      status: 200,
      body: {
        ok: true,
        access_token: `xoxe.xoxb-sandbox-${issued}`,
        refresh_token: `xoxe-1-sandbox-${issued}`,
        expires_in: 43_200,
        token_type: 'bot',
      },
    };
  };

  const webhook = (path: string, body: unknown): SandboxResponse => {
    if (path.includes('revoked')) return { status: 404, body: 'no_service' };
    const text = (body as { text?: unknown } | undefined)?.text;
    if (typeof text !== 'string' || text === '') return { status: 400, body: 'invalid_payload' };
    serial++;
    context.deliver({ recipient: path, messageId: `webhook-${serial}`, key: undefined });
    return { status: 200, body: 'ok' };
  };

  return {
    platform: 'slack',
    lane(request: ReceivedRequest): QuotaLane | undefined {
      if (request.path.startsWith('/services/'))
        return { key: request.path, ...SLACK_SANDBOX_POST_QUOTA };
      const body = request.body as Record<string, unknown> | undefined;
      if (request.path === '/api/chat.postMessage')
        return { key: `post:${String(body?.channel)}`, ...SLACK_SANDBOX_POST_QUOTA };
      if (request.path === '/api/conversations.history')
        return { key: `history:${request.query.channel}`, ...SLACK_SANDBOX_HISTORY_QUOTA };
      return undefined;
    },
    handle(request: ReceivedRequest): SandboxResponse {
      if (request.path.startsWith('/services/')) return webhook(request.path, request.body);
      if (request.path === '/api/oauth.v2.access')
        return refresh((request.body ?? {}) as Record<string, unknown>);
      const token = tokenOf(request);
      if (token === undefined) return fail('not_authed');
      if (!token.startsWith('xox')) return fail('invalid_auth');
      if (expired.has(token)) return fail('token_expired');
      seen.add(token);
      const body = (request.body ?? {}) as Record<string, unknown>;
      switch (request.path) {
        case '/api/chat.postMessage':
          return postMessage(body);
        case '/api/conversations.history':
          return history(request.query);
        case '/api/auth.test':
          return {
            status: 200,
            body: { ok: true, team_id: 'T0SANDBOX', user_id: 'U0SANDBOX', bot_id: 'B0SANDBOX' },
          };
        default:
          return { status: 404, body: fail('unknown_method').body };
      }
    },
    rateLimited: () => ({ status: 429, body: { ok: false, error: 'ratelimited' } }),
    serverError: (status) => ({
      status,
      body: { ok: false, error: status === 503 ? 'service_unavailable' : 'internal_error' },
    }),
    expiredToken: () => fail('token_expired'),
    versionSunset: () => fail('deprecated_endpoint'),
    expireTokens() {
      for (const token of seen) expired.add(token);
    },
  };
}
