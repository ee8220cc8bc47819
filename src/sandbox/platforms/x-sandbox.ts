/**
 * @module
 * Fake X API v2 (contract: docs/platforms/x.md): `POST /2/tweets` (201, duplicate
 * text refused with 403), `GET /2/users/me`, `GET /2/users/:id/tweets` with `max_results`,
 * `pagination_token` and `start_time`/`end_time`, `GET /2/tweets?ids=` with partial errors,
 * seeded metrics (non-public and organic groups only for the owner's posts under 30 days),
 * `POST /2/oauth2/token` with rotating refresh tokens, RFC 7807 problem objects, and
 * `x-rate-limit-*` headers on every answer (no Retry-After of its own).
 *
 * Sandbox conventions: user tokens start with `x-user-`; a token containing `app-only` is an
 * app-only bearer, which cannot post; text containing `usage-cap` hits the monthly cap.
 */
import type {
  PlatformSandbox,
  QuotaLane,
  ReceivedRequest,
  SandboxContext,
  SandboxResponse,
} from '../sandbox-types.js';
import { fnv1a, seededRandom } from '../../seeded-random.js';

/** `POST /2/tweets`: 100 per 15 minutes per user. */
export const X_SANDBOX_POST_QUOTA = { limit: 100, windowMs: 900_000 } as const;
/** `GET /2/users/me`: 75 per 15 minutes per user. */
export const X_SANDBOX_ME_QUOTA = { limit: 75, windowMs: 900_000 } as const;
/** Timelines and look-ups: 900 per 15 minutes per user. */
export const X_SANDBOX_READ_QUOTA = { limit: 900, windowMs: 900_000 } as const;

const USER = { id: '2244994945', name: 'Herald', username: 'heraldhq' } as const;
const THIRTY_DAYS_MS = 30 * 86_400_000;

interface Post {
  readonly id: string;
  readonly text: string;
  readonly createdAt: number;
}

function problem(
  status: number,
  title: string,
  detail: string,
  type = 'about:blank',
): SandboxResponse {
  return { status, body: { title, type, status, detail } };
}

/** Builds the fake X. */
export function createXSandbox(context: SandboxContext): PlatformSandbox {
  const posts: Post[] = [];
  const expired = new Set<string>();
  const seen = new Set<string>();
  let issued = 0;
  let snowflake = 1_445_880_548_472_328_192n;

  const tokenOf = (request: ReceivedRequest): string =>
    (request.headers.authorization ?? '').replace(/^Bearer /, '');

  const create = (token: string, body: Record<string, unknown>): SandboxResponse => {
    if (token.includes('app-only'))
      return problem(
        403,
        'Unsupported Authentication',
        'Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.',
        'https://api.twitter.com/2/problems/unsupported-authentication',
      );
    const text = body.text;
    if (
      typeof text !== 'string' ||
      text === '' ||
      Array.from(new Intl.Segmenter().segment(text)).length > 280
    ) {
      return {
        status: 400,
        body: {
          title: 'Invalid Request',
          type: 'https://api.twitter.com/2/problems/invalid-request',
          detail: 'One or more parameters to your request was invalid.',
          errors: [
            { message: 'text must be 1 to 280 characters', parameters: { text: [String(text)] } },
          ],
        },
      };
    }
    if (text.includes('usage-cap'))
      return problem(
        429,
        'UsageCapExceeded',
        'Usage cap exceeded: Monthly product cap',
        'https://api.twitter.com/2/problems/usage-capped',
      );
    if (posts.some((p) => p.text === text))
      return problem(
        403,
        'Forbidden',
        'You are not allowed to create a Tweet with duplicate content.',
      );
    snowflake += BigInt(1 + Math.floor(context.random() * 4_194_304));
    const post: Post = { id: snowflake.toString(), text, createdAt: context.clock.now() };
    posts.push(post);
    context.deliver({
      recipient: USER.username,
      messageId: post.id,
      key: /ref:(\w+)$/.exec(text)?.[1],
    });
    return {
      status: 201,
      body: { data: { id: post.id, text, edit_history_tweet_ids: [post.id] } },
    };
  };

  const view = (post: Post, fields: readonly string[]): Record<string, unknown> => {
    const own = context.clock.now() - post.createdAt < THIRTY_DAYS_MS;
    const metrics = seededXMetrics(context.seed, post.id);
    return {
      id: post.id,
      text: post.text,
      edit_history_tweet_ids: [post.id],
      ...(fields.includes('created_at')
        ? { created_at: new Date(post.createdAt).toISOString() }
        : {}),
      ...(fields.includes('public_metrics') ? { public_metrics: metrics.public_metrics } : {}),
      ...(own && fields.includes('non_public_metrics')
        ? { non_public_metrics: metrics.non_public_metrics }
        : {}),
      ...(own && fields.includes('organic_metrics')
        ? { organic_metrics: metrics.organic_metrics }
        : {}),
    };
  };

  const timeline = (query: Readonly<Record<string, string>>): SandboxResponse => {
    const max = Number(query.max_results ?? 10);
    if (!Number.isInteger(max) || max < 5 || max > 100)
      return problem(
        400,
        'Invalid Request',
        'The `max_results` query parameter value is not between 5 and 100',
        'https://api.twitter.com/2/problems/invalid-request',
      );
    const from = query.start_time ? Date.parse(query.start_time) : -Infinity;
    const to = query.end_time ? Date.parse(query.end_time) : Infinity;
    const fields = (query['tweet.fields'] ?? '').split(',');
    const newestFirst = posts.filter((p) => p.createdAt >= from && p.createdAt < to).reverse();
    const start = query.pagination_token
      ? Number(Buffer.from(query.pagination_token, 'base64url').toString())
      : 0;
    const page = newestFirst.slice(start, start + max);
    const more = start + max < newestFirst.length;
    return {
      status: 200,
      body: {
        ...(page.length > 0 ? { data: page.map((p) => view(p, fields)) } : {}),
        meta: {
          result_count: page.length,
          ...(page.length > 0 ? { newest_id: page[0]!.id, oldest_id: page.at(-1)!.id } : {}),
          ...(more ? { next_token: Buffer.from(String(start + max)).toString('base64url') } : {}),
        },
      },
    };
  };

  const lookup = (query: Readonly<Record<string, string>>): SandboxResponse => {
    const ids = (query.ids ?? '').split(',').filter((id) => id !== '');
    if (ids.length === 0 || ids.length > 100)
      return problem(
        400,
        'Invalid Request',
        'The `ids` query parameter value must have 1 to 100 ids',
        'https://api.twitter.com/2/problems/invalid-request',
      );
    const fields = (query['tweet.fields'] ?? '').split(',');
    const found = ids.flatMap((id) => posts.filter((p) => p.id === id));
    const missing = ids.filter((id) => !posts.some((p) => p.id === id));
    return {
      status: 200,
      body: {
        ...(found.length > 0 ? { data: found.map((p) => view(p, fields)) } : {}),
        ...(missing.length > 0
          ? {
              errors: missing.map((id) => ({
                value: id,
                detail: `Could not find tweet with ids: [${id}].`,
                title: 'Not Found Error',
                resource_type: 'tweet',
                parameter: 'ids',
                resource_id: id,
                type: 'https://api.twitter.com/2/problems/resource-not-found',
              })),
            }
          : {}),
      },
    };
  };

  const refresh = (form: Record<string, unknown>): SandboxResponse => {
    if (
      form.grant_type !== 'refresh_token' ||
      typeof form.refresh_token !== 'string' ||
      typeof form.client_id !== 'string'
    )
      return {
        status: 400,
        body: {
          error: 'invalid_request',
          error_description: 'Value passed for the token was invalid.',
        },
      };
    issued++;
    return {
      status: 200,
      body: {
        token_type: 'bearer',
        expires_in: 7200,
        access_token: `x-user-refreshed-${issued}`,
        scope: 'tweet.write users.read tweet.read offline.access',
        refresh_token: `x-refresh-${issued}`,
      },
    };
  };

  return {
    platform: 'x',
    lane(request: ReceivedRequest): QuotaLane | undefined {
      const token = tokenOf(request);
      if (request.method === 'POST' && request.path === '/2/tweets')
        return { key: `${token}:create`, ...X_SANDBOX_POST_QUOTA };
      if (request.path === '/2/users/me') return { key: `${token}:me`, ...X_SANDBOX_ME_QUOTA };
      if (request.method === 'GET' && request.path.startsWith('/2/'))
        return { key: `${token}:${request.path}`, ...X_SANDBOX_READ_QUOTA };
      return undefined;
    },
    handle(request: ReceivedRequest): SandboxResponse {
      if (request.method === 'POST' && request.path === '/2/oauth2/token')
        return refresh((request.body ?? {}) as Record<string, unknown>);
      const token = tokenOf(request);
      if ((!token.startsWith('x-user-') && !token.includes('app-only')) || expired.has(token))
        return problem(401, 'Unauthorized', 'Unauthorized');
      seen.add(token);
      const route = `${request.method} ${request.path}`;
      if (route === 'POST /2/tweets')
        return create(token, (request.body ?? {}) as Record<string, unknown>);
      if (route === 'GET /2/users/me') return { status: 200, body: { data: USER } };
      if (route === `GET /2/users/${USER.id}/tweets`) return timeline(request.query);
      if (route === 'GET /2/tweets') return lookup(request.query);
      return problem(
        404,
        'Not Found Error',
        `Could not find ${request.path}`,
        'https://api.twitter.com/2/problems/resource-not-found',
      );
    },
    rateLimited: () => problem(429, 'Too Many Requests', 'Too Many Requests'),
    serverError: (status) =>
      problem(
        status,
        status === 503 ? 'Service Unavailable' : 'Internal Server Error',
        'Something went wrong. Try again later.',
      ),
    expiredToken: () => problem(401, 'Unauthorized', 'Unauthorized'),
    versionSunset: () =>
      problem(410, 'Gone', 'This endpoint has been retired; use its X API v2 replacement.'),
    expireTokens() {
      for (const token of seen) expired.add(token);
    },
    quotaHeaders: (lane, used, resetAt) => ({
      'x-rate-limit-limit': String(lane.limit),
      'x-rate-limit-remaining': String(Math.max(0, lane.limit - used)),
      'x-rate-limit-reset': String(Math.ceil(resetAt / 1000)),
    }),
  };
}

/** Reproducible metrics of one post: the same seed and id always give the same counts. */
export function seededXMetrics(seed: number, id: string): Record<string, Record<string, number>> {
  const random = seededRandom(seed ^ fnv1a(`x:${id}`));
  const impression_count = 100 + Math.floor(random() * 20_000);
  const like_count = Math.floor(impression_count * 0.03 * random());
  const reply_count = Math.floor(like_count * 0.2 * random());
  const retweet_count = Math.floor(like_count * 0.3 * random());
  const quote_count = Math.floor(retweet_count * 0.2 * random());
  const bookmark_count = Math.floor(like_count * 0.1 * random());
  const url_link_clicks = Math.floor(impression_count * 0.01 * random());
  const user_profile_clicks = Math.floor(impression_count * 0.005 * random());
  return {
    public_metrics: {
      retweet_count,
      reply_count,
      like_count,
      quote_count,
      bookmark_count,
      impression_count,
    },
    non_public_metrics: { impression_count, url_link_clicks, user_profile_clicks },
    organic_metrics: {
      impression_count,
      like_count,
      reply_count,
      retweet_count,
      url_link_clicks,
      user_profile_clicks,
    },
  };
}
