/**
 * @module
 * X API v2 (contract: x.md): `POST /2/tweets` with a user-context OAuth 2.0 token (refreshed
 * through `POST /2/oauth2/token` when a refresh token is configured) and post metrics.
 *
 * Exactly-once: X has no idempotency key (contract §8). Every post ends with
 * `ref:<hash of the idempotency key>`, which survives X's t.co rewriting of links, so
 * `reconcile` reads the account's latest posts for it and answers `unknown` past its page
 * budget. X's `x-rate-limit-*` and `x-user-limit-24hour-*` headers are read as the shared
 * client's `x-ratelimit-*`, so the client waits for the reset instead of retrying blindly.
 */
import { createHash } from 'node:crypto';
import { apiKeyAuth, basicAuth, oauth2Auth, type AuthStrategy } from '../auth-strategy.js';
import type {
  ActionRequest,
  ActionResult,
  Connector,
  ConnectorHealth,
  MetricsRequest,
  MetricsRow,
  Reconciliation,
} from '../connector.js';
import { readSettings } from '../connector-credentials.js';
import { clientOptions, type ConnectorDeps } from '../connector-deps.js';
import { ConnectorError, type ConnectorErrorCode } from '../connector-error.js';
import { HttpClient } from '../http-client.js';
import type { RateQuota } from '../quota-limiter.js';
import type { RawResponse, ResponseFailure } from '../raw-response.js';
import {
  CreatePostResponse,
  MeResponse,
  PostsPage,
  XErrorBody,
  XTokenResponse,
  type XPost,
} from './x-schemas.js';

/**
 * `POST /2/tweets` per user. Published figures conflict (contract §4: 200, 100 per 15 min or
 * 100 per day by tier); 100 per 15 minutes is the lower per-window figure, and the 24-hour
 * headers pause the client when a tier's daily cap is lower.
 */
export const X_POST_QUOTA: RateQuota = { limit: 100, windowMs: 900_000 };
/** Reads (`/2/users/me`, timelines, post look-ups): 75 per 15 minutes, the lowest of them. */
export const X_READ_QUOTA: RateQuota = { limit: 75, windowMs: 900_000 };

const TIMELINE_PAGE_SIZE = 100;
/** Pages of the account's timeline `reconcile` reads before it answers `unknown`. */
const MAX_TIMELINE_PAGES = 3;
const METRIC_FIELDS = 'public_metrics,non_public_metrics,organic_metrics,created_at';
const METRIC_GROUPS = ['public_metrics', 'non_public_metrics', 'organic_metrics'] as const;

/** Maps an X response to a failure (contract §5). */
export function interpretX(response: RawResponse): ResponseFailure | undefined {
  if (response.status < 300) return undefined;
  const parsed = XErrorBody.safeParse(response.body);
  const body = parsed.success ? parsed.data : {};
  const type = body.type === 'about:blank' ? undefined : body.type;
  const platformCode = type ?? body.title;
  const platformMessage = body.detail ?? body.errors?.[0]?.message;
  return {
    code: xCode(response.status, platformCode ?? '', platformMessage ?? ''),
    ...(platformCode === undefined ? {} : { platformCode }),
    ...(platformMessage === undefined ? {} : { platformMessage }),
  };
}

function xCode(status: number, type: string, detail: string): ConnectorErrorCode {
  if (status === 401) return 'auth_expired';
  // X refuses the same text twice from one account: the post already exists.
  if (status === 403 && detail.includes('duplicate content')) return 'conflict';
  if (status === 403) return 'permission_denied';
  if (status === 404) return 'not_found';
  if (status === 410) return 'version_sunset';
  // The monthly pay-per-usage cap does not lift with backoff.
  if (status === 429 && type.endsWith('usage-capped')) return 'quota_exhausted';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'transient';
  return 'invalid_request';
}

/** The reference that ends the text of the post `request` creates. */
export function xMarker(request: ActionRequest): string {
  return `ref:${createHash('sha256').update(request.idempotencyKey).digest('hex').slice(0, 10)}`;
}

/**
 * `fetch` whose responses also carry X's limits as `x-ratelimit-remaining`/`-reset` (epoch
 * seconds), the names the shared client reads; an exhausted 24-hour counter wins.
 */
export function xRateHeaders(getFetch: () => typeof fetch): typeof fetch {
  return async (input, init) => {
    const response = await getFetch()(input, init);
    const headers = new Headers(response.headers);
    for (const prefix of ['x-rate-limit', 'x-user-limit-24hour', 'x-app-limit-24hour']) {
      const remaining = headers.get(`${prefix}-remaining`);
      const reset = headers.get(`${prefix}-reset`);
      if (remaining !== null && reset !== null && headers.get('x-ratelimit-remaining') !== '0') {
        headers.set('x-ratelimit-remaining', remaining);
        headers.set('x-ratelimit-reset', reset);
      }
    }
    return new Response(response.body, { status: response.status, headers });
  };
}

/**
 * Builds the X connector. Settings: `accessToken` (`X_ACCESS_TOKEN`, an OAuth 2.0 user-context
 * token with `tweet.write`; an app-only bearer cannot post), optional `refreshToken`
 * (`X_REFRESH_TOKEN`, needs `offline.access`) with `clientId` (`X_CLIENT_ID`) and, for
 * confidential clients, `clientSecret` (`X_CLIENT_SECRET`); optional `baseUrl`.
 * @example
 * const x = createXConnector({ env: process.env, clock: systemClock, limiter });
 */
export function createXConnector(deps: ConnectorDeps): Connector {
  const settings = readSettings(
    'x',
    [
      { key: 'accessToken', env: 'X_ACCESS_TOKEN' },
      { key: 'refreshToken', env: 'X_REFRESH_TOKEN', required: false },
      { key: 'clientSecret', env: 'X_CLIENT_SECRET', required: false },
      { key: 'baseUrl', env: 'X_BASE_URL', required: false },
    ],
    deps,
  );
  const clientId =
    settings.refreshToken === undefined
      ? undefined
      : readSettings('x', [{ key: 'clientId', env: 'X_CLIENT_ID' }], deps).clientId!;
  const baseUrl = deps.baseUrl ?? settings.baseUrl ?? 'https://api.x.com';
  const options = {
    ...clientOptions(deps),
    fetch: xRateHeaders(() => deps.fetch ?? globalThis.fetch),
  };
  const tokenClient = new HttpClient({
    platform: 'x',
    baseUrl,
    apiVersion: '2',
    auth: basicAuth({ username: clientId ?? '', password: settings.clientSecret ?? '' }),
    clock: deps.clock,
    limiter: deps.limiter,
    quota: X_READ_QUOTA,
    interpret: interpretX,
    ...options,
  });
  const refresh = async (refreshToken: string, signal?: AbortSignal) => {
    const response = await tokenClient.request({
      method: 'POST',
      path: '/2/oauth2/token',
      lane: 'oauth',
      idempotent: true,
      // Public (PKCE) clients name themselves in the form; confidential ones also sign in.
      authenticate: settings.clientSecret !== undefined,
      schema: XTokenResponse,
      ...(signal ? { signal } : {}),
      form: { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId! },
    });
    return { accessToken: response.data.access_token, refreshToken: response.data.refresh_token };
  };
  const auth: AuthStrategy =
    settings.refreshToken === undefined
      ? apiKeyAuth({ key: settings.accessToken! })
      : oauth2Auth({
          tokens: { accessToken: settings.accessToken!, refreshToken: settings.refreshToken },
          refresh,
          ...(settings.clientSecret ? { clientSecret: settings.clientSecret } : {}),
        });
  const client = new HttpClient({
    platform: 'x',
    baseUrl,
    apiVersion: '2',
    successorVersion: 'the replacement named in the X API changelog',
    auth,
    clock: deps.clock,
    limiter: deps.limiter,
    quota: X_READ_QUOTA,
    interpret: interpretX,
    ...options,
  });

  let me: Promise<MeResponse['data']> | undefined;
  const whoAmI = (signal: AbortSignal | undefined): Promise<MeResponse['data']> => {
    me ??= client
      .request({
        method: 'GET',
        path: '/2/users/me',
        lane: 'users.me',
        idempotent: true,
        schema: MeResponse,
        ...(signal ? { signal } : {}),
      })
      .then((response) => response.data.data)
      .catch((error: unknown) => {
        me = undefined;
        throw error;
      });
    return me;
  };
  const resultOf = (username: string, id: string): ActionResult => ({
    externalId: id,
    outputs: { url: `https://x.com/${username}/status/${id}`, postId: id },
    accepted: 1,
  });
  const timeline = async (
    userId: string,
    query: Record<string, string>,
    signal: AbortSignal | undefined,
  ): Promise<PostsPage> => {
    const response = await client.request({
      method: 'GET',
      path: `/2/users/${userId}/tweets`,
      lane: 'users.tweets',
      idempotent: true,
      schema: PostsPage,
      query: { max_results: String(TIMELINE_PAGE_SIZE), ...query },
      ...(signal ? { signal } : {}),
    });
    return response.data;
  };

  return {
    platform: 'x',
    capabilities: ['publish', 'fetch_metrics'],
    maxBatchSize: 1,
    async perform(request: ActionRequest): Promise<ActionResult> {
      const text = [request.content.title, request.content.text, request.content.link]
        .filter((part) => part !== undefined && part !== '')
        .join('\n\n');
      if (request.action !== 'post' || text === '') {
        throw new ConnectorError({
          platform: 'x',
          code: 'invalid_request',
          message: `${request.action} needs text; X posts text`,
        });
      }
      const user = await whoAmI(request.signal);
      const response = await client.request({
        method: 'POST',
        path: '/2/tweets',
        lane: 'tweets.create',
        quota: X_POST_QUOTA,
        idempotent: false,
        schema: CreatePostResponse,
        body: { text: `${text}\n\n${xMarker(request)}` },
        ...(request.signal ? { signal: request.signal } : {}),
      });
      return resultOf(user.username, response.data.data.id);
    },
    async reconcile(request: ActionRequest): Promise<Reconciliation> {
      const user = await whoAmI(request.signal);
      const marker = xMarker(request);
      let token: string | undefined;
      for (let page = 0; page < MAX_TIMELINE_PAGES; page++) {
        const data = await timeline(
          user.id,
          token ? { pagination_token: token } : {},
          request.signal,
        );
        const found = data.data?.find((post) => post.text.endsWith(marker));
        if (found) return { status: 'done', result: resultOf(user.username, found.id) };
        token = data.meta?.next_token;
        if (token === undefined) return { status: 'not_found' };
      }
      return {
        status: 'unknown',
        reason: `not among the account's latest ${MAX_TIMELINE_PAGES * TIMELINE_PAGE_SIZE} posts`,
      };
    },
    async fetchMetrics(query: MetricsRequest): Promise<readonly MetricsRow[]> {
      // X reports lifetime totals as of the call: each row is that snapshot, dated today (UTC).
      const date = new Date(deps.clock.now()).toISOString().slice(0, 10);
      const posts: XPost[] = [];
      const signal = query.signal ? { signal: query.signal } : {};
      const ids = [...(query.entities ?? [])];
      for (let i = 0; i < ids.length; i += 100) {
        const response = await client.request({
          method: 'GET',
          path: '/2/tweets',
          lane: 'tweets.lookup',
          idempotent: true,
          schema: PostsPage,
          query: { ids: ids.slice(i, i + 100).join(','), 'tweet.fields': METRIC_FIELDS },
          ...signal,
        });
        posts.push(...(response.data.data ?? []));
      }
      if (query.entities === undefined) {
        const user = await whoAmI(query.signal);
        const range = {
          'tweet.fields': METRIC_FIELDS,
          start_time: `${query.from}T00:00:00Z`,
          end_time: new Date(Date.parse(`${query.to}T00:00:00Z`) + 86_400_000).toISOString(),
        };
        let token: string | undefined;
        do {
          const data = await timeline(
            user.id,
            token ? { ...range, pagination_token: token } : range,
            query.signal,
          );
          posts.push(...(data.data ?? []));
          token = data.meta?.next_token;
        } while (token !== undefined);
      }
      return posts.map((post) => ({
        date,
        entity: post.id,
        metrics: flatten(post),
        timeZone: 'UTC',
      }));
    },
    health: (): ConnectorHealth => client.health(),
  };
}

/** `public_metrics.like_count` and so on: X's own names, counts as X sent them. */
function flatten(post: XPost): Record<string, number> {
  const out: Record<string, number> = {};
  for (const group of METRIC_GROUPS) {
    for (const [name, value] of Object.entries(post[group] ?? {})) {
      if (typeof value === 'number') out[`${group}.${name}`] = value;
    }
  }
  return out;
}
