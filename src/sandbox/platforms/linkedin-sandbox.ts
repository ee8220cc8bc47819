/**
 * @module
 * Fake LinkedIn (contract: docs/platforms/linkedin.md): `POST /rest/posts` (201, empty
 * body, URN in `x-restli-id`), `GET /rest/posts?q=author` and `GET /rest/posts/{urn}` with
 * `start`/`count` paging, time-bound `organizationalEntityShareStatistics` in Rest.li 2.0
 * tuple syntax with seeded daily counts, `POST /oauth/v2/accessToken` refresh, and the
 * `{ status, serviceErrorCode, code, message }` envelope. `LinkedIn-Version` is required and
 * must be one of the last twelve monthly versions (426 `NONEXISTENT_VERSION` otherwise).
 *
 * Sandbox conventions: access tokens start with `AQ`; a token containing `noscope` lacks
 * `w_organization_social`. Daily per-member counters per endpoint reset at midnight UTC; 429
 * carries no rate-limit headers.
 */
import type {
  PlatformSandbox,
  QuotaLane,
  ReceivedRequest,
  SandboxContext,
  SandboxResponse,
} from '../sandbox-types.js';
import { fnv1a, seededRandom } from '../../seeded-random.js';

/** Posts per member per day (LinkedIn does not publish it; the connector's own choice). */
export const LINKEDIN_SANDBOX_POST_QUOTA = { limit: 150, windowMs: 86_400_000 } as const;
/** Reads per member per endpoint per day. */
export const LINKEDIN_SANDBOX_READ_QUOTA = { limit: 500, windowMs: 86_400_000 } as const;

const DAY_MS = 86_400_000;
const YEAR_MS = 365 * DAY_MS;

interface Post {
  readonly id: string;
  readonly author: string;
  readonly commentary: string;
  readonly visibility: string;
  readonly createdAt: number;
}

function liError(
  status: number,
  code: string,
  message: string,
  serviceErrorCode = 100,
): SandboxResponse {
  return { status, body: { status, serviceErrorCode, code, message } };
}

/** Builds the fake LinkedIn. */
export function createLinkedInSandbox(context: SandboxContext): PlatformSandbox {
  const posts: Post[] = [];
  const expired = new Set<string>();
  const seen = new Set<string>();
  let issued = 0;
  // Share ids exceed 2^53: BigInt keeps every one distinct.
  let serial = 7_012_345_678_901_234_000n;

  const tokenOf = (request: ReceivedRequest): string =>
    (request.headers.authorization ?? '').replace(/^Bearer /, '');

  const activeVersion = (version: string): boolean => {
    if (!/^\d{6}(\.\d{2})?$/.test(version)) return false;
    const released = Date.UTC(Number(version.slice(0, 4)), Number(version.slice(4, 6)) - 1, 1);
    return released <= context.clock.now() && released > context.clock.now() - YEAR_MS;
  };

  const create = (token: string, body: Record<string, unknown>): SandboxResponse => {
    if (typeof body.author !== 'string' || !/^urn:li:(organization|person):\w+$/.test(body.author))
      return liError(400, 'INVALID_ARGUMENT', '/author :: invalid URN syntax');
    if (token.includes('noscope'))
      return liError(
        403,
        'ACCESS_DENIED',
        'Not enough permissions to access: partnerApiPostsExternal.CREATE.20260301',
      );
    if (typeof body.commentary !== 'string' || body.commentary.length > 3000)
      return liError(400, 'INVALID_ARGUMENT', '/commentary :: missing or too long');
    if (!['PUBLIC', 'CONNECTIONS', 'LOGGED_IN', 'CONTAINER'].includes(String(body.visibility)))
      return liError(
        400,
        'FIELD_VALUE_DENIED',
        `/visibility :: ${String(body.visibility)} is not a valid value`,
      );
    if (body.lifecycleState !== 'PUBLISHED' && body.lifecycleState !== 'DRAFT')
      return liError(400, 'INVALID_ARGUMENT', '/lifecycleState :: required');
    const duplicate = posts.find(
      (p) => p.author === body.author && p.commentary === body.commentary,
    );
    if (duplicate)
      return liError(422, 'DUPLICATE_POST', `Content is a duplicate of ${duplicate.id}`, 0);
    serial += BigInt(1 + Math.floor(context.random() * 1000));
    const post: Post = {
      id: `urn:li:share:${serial}`,
      author: body.author,
      commentary: body.commentary,
      visibility: String(body.visibility),
      createdAt: context.clock.now(),
    };
    posts.push(post);
    const marker = /ref:(\w+)$/.exec(post.commentary);
    context.deliver({ recipient: post.author, messageId: post.id, key: marker?.[1] });
    return { status: 201, headers: { 'x-restli-id': post.id, 'x-linkedin-id': post.id } };
  };

  const view = (post: Post): Record<string, unknown> => ({
    id: post.id,
    author: post.author,
    commentary: post.commentary,
    visibility: post.visibility,
    lifecycleState: 'PUBLISHED',
    createdAt: post.createdAt,
    lastModifiedAt: post.createdAt,
    distribution: {
      feedDistribution: 'MAIN_FEED',
      targetEntities: [],
      thirdPartyDistributionChannels: [],
    },
  });

  const paged = (query: Readonly<Record<string, string>>, items: unknown[]): SandboxResponse => {
    const start = Number(query.start ?? 0);
    const count = Number(query.count ?? 10);
    return {
      status: 200,
      body: {
        paging: { start, count, links: [], total: items.length },
        elements: items.slice(start, start + count),
      },
    };
  };

  const statistics = (query: Readonly<Record<string, string>>): SandboxResponse => {
    if (
      query.q !== 'organizationalEntity' ||
      !query.organizationalEntity?.startsWith('urn:li:organization:')
    )
      return liError(400, 'INVALID_ARGUMENT', 'organizationalEntity must be an organization URN');
    const interval = /^\(timeRange:\(start:(\d+),end:(\d+)\),timeGranularityType:DAY\)$/.exec(
      query.timeIntervals ?? '',
    );
    if (!interval)
      return liError(400, 'INVALID_ARGUMENT', 'timeIntervals: expected Rest.li 2.0 tuple syntax');
    const from = Number(interval[1]);
    const to = Number(interval[2]);
    if (from < context.clock.now() - YEAR_MS)
      return liError(400, 'INVALID_ARGUMENT', 'timeRange must be within the last 12 months');
    const listed = (name: string): string[] => {
      const match = /^List\((.*)\)$/.exec(query[name] ?? '');
      return match?.[1] ? match[1].split(',') : [];
    };
    const entities = [...listed('shares'), ...listed('ugcPosts')];
    const elements: unknown[] = [];
    for (const entity of entities.length > 0 ? entities : [undefined]) {
      for (let day = from - (from % DAY_MS); day < to; day += DAY_MS) {
        elements.push({
          organizationalEntity: query.organizationalEntity,
          ...(entity === undefined
            ? {}
            : { [entity.startsWith('urn:li:share:') ? 'share' : 'ugcPost']: entity }),
          timeRange: { start: day, end: day + DAY_MS },
          totalShareStatistics: seededShareStatistics(
            context.seed,
            `${entity ?? query.organizationalEntity}:${day}`,
          ),
        });
      }
    }
    return paged(query, elements);
  };

  const refresh = (form: Record<string, unknown>): SandboxResponse => {
    if (form.grant_type !== 'refresh_token' || typeof form.refresh_token !== 'string')
      return {
        status: 400,
        body: {
          error: 'invalid_request',
          error_description: 'A required parameter "refresh_token" is missing',
        },
      };
    if (typeof form.client_id !== 'string' || typeof form.client_secret !== 'string')
      return {
        status: 401,
        body: { error: 'invalid_client', error_description: 'Client authentication failed' },
      };
    issued++;
    return {
      status: 200,
      body: {
        access_token: `AQsandbox-refreshed-${issued}`,
        expires_in: 5_184_000,
        refresh_token: form.refresh_token,
        refresh_token_expires_in: 31_536_000,
        scope: 'w_organization_social,r_organization_social,rw_organization_admin',
      },
    };
  };

  return {
    platform: 'linkedin',
    lane(request: ReceivedRequest): QuotaLane | undefined {
      if (!request.path.startsWith('/rest/')) return undefined;
      const day = new Date(request.at).toISOString().slice(0, 10);
      const create = request.method === 'POST' && request.path === '/rest/posts';
      return {
        key: `${tokenOf(request)}:${request.method} ${request.path.split('/').slice(0, 3).join('/')}:${day}`,
        ...(create ? LINKEDIN_SANDBOX_POST_QUOTA : LINKEDIN_SANDBOX_READ_QUOTA),
      };
    },
    handle(request: ReceivedRequest): SandboxResponse {
      if (request.path === '/oauth/v2/accessToken' && request.method === 'POST')
        return refresh((request.body ?? {}) as Record<string, unknown>);
      const token = tokenOf(request);
      if (token === '')
        return {
          status: 401,
          body: { message: 'Empty oauth2_access_token', serviceErrorCode: 401, status: 401 },
        };
      if (!token.startsWith('AQ'))
        return liError(401, 'INVALID_ACCESS_TOKEN', 'Invalid access token', 65600);
      if (expired.has(token))
        return liError(
          401,
          'EXPIRED_ACCESS_TOKEN',
          'The token used in the request has expired',
          65602,
        );
      seen.add(token);
      const version = request.headers['linkedin-version'];
      if (typeof version !== 'string')
        return liError(
          400,
          'VERSION_MISSING',
          'A version must be present. Please specify a version by adding the LinkedIn-Version header.',
        );
      if (!activeVersion(version))
        return liError(426, 'NONEXISTENT_VERSION', `Requested version ${version} is not active`);
      if (
        request.path.startsWith('/rest/posts') &&
        request.headers['x-restli-protocol-version'] !== '2.0.0'
      )
        return liError(400, 'INVALID_ARGUMENT', 'X-Restli-Protocol-Version 2.0.0 is required');
      const route = `${request.method} ${request.path}`;
      if (route === 'POST /rest/posts')
        return create(token, (request.body ?? {}) as Record<string, unknown>);
      if (route === 'GET /rest/posts' && request.query.q === 'author') {
        const mine = posts.filter((p) => p.author === request.query.author).reverse();
        return paged(request.query, mine.map(view));
      }
      if (request.method === 'GET' && request.path.startsWith('/rest/posts/')) {
        const urn = decodeURIComponent(request.path.slice('/rest/posts/'.length));
        const post = posts.find((p) => p.id === urn);
        return post
          ? { status: 200, body: view(post) }
          : liError(404, 'NOT_FOUND', `Post ${urn} not found`);
      }
      if (route === 'GET /rest/organizationalEntityShareStatistics')
        return statistics(request.query);
      return liError(404, 'NOT_FOUND', `No resource at ${request.path}`);
    },
    rateLimited: () =>
      liError(
        429,
        'TOO_MANY_REQUESTS',
        'Resource level throttle limit for calls to this resource is reached.',
        101,
      ),
    serverError: (status) => liError(status, 'INTERNAL_SERVER_ERROR', 'Internal Server Error', 0),
    expiredToken: () =>
      liError(401, 'EXPIRED_ACCESS_TOKEN', 'The token used in the request has expired', 65602),
    versionSunset: () =>
      liError(426, 'NONEXISTENT_VERSION', 'Requested version 202603 is not active'),
    expireTokens() {
      for (const token of seen) expired.add(token);
    },
  };
}

/** Reproducible daily share statistics: integer counts and `engagement` as a ratio. */
export function seededShareStatistics(seed: number, key: string): Record<string, number> {
  const random = seededRandom(seed ^ fnv1a(`linkedin:${key}`));
  const impressionCount = 200 + Math.floor(random() * 5000);
  const uniqueImpressionsCount = Math.floor(impressionCount * (0.5 + 0.4 * random()));
  const clickCount = Math.floor(impressionCount * 0.03 * random());
  const likeCount = Math.floor(impressionCount * 0.02 * random());
  const commentCount = Math.floor(likeCount * 0.2 * random());
  const shareCount = Math.floor(likeCount * 0.1 * random());
  return {
    uniqueImpressionsCount,
    impressionCount,
    clickCount,
    likeCount,
    commentCount,
    shareCount,
    engagement: (clickCount + likeCount + commentCount + shareCount) / impressionCount,
  };
}
