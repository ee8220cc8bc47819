/**
 * @module
 * Fake Graph API for Facebook Pages (contract: docs/platforms/meta-graph.md):
 * `POST /{version}/{page-id}/feed` (form, `{page}_{post}` ids, code 506 on a duplicate
 * message, scheduling 10 minutes to 30 days ahead), `GET /{page-id}/feed` and
 * `/scheduled_posts` with cursor paging and full `paging.next` URLs, daily Page insights
 * labelled by the end of the Pacific day (≤ 90 days, retired metric names refused with code
 * 100) and lifetime post insights, all seeded. Every error is HTTP 400 (500 for codes 1/2)
 * with `{ error: { message, type, code, error_subcode, fbtrace_id } }`; throttles are code 32
 * with `X-Business-Use-Case-Usage`.
 *
 * Sandbox conventions: tokens start with `EAA` and every call carries a 64-hex
 * `appsecret_proof`; a token containing `noperm` lacks `pages_manage_posts`.
 */
import type {
  PlatformSandbox,
  QuotaLane,
  ReceivedRequest,
  SandboxContext,
  SandboxResponse,
} from '../sandbox-types.js';
import { fnv1a, seededRandom } from '../../seeded-random.js';

/** Calls per token per rolling hour (200 × one daily active user). */
export const FACEBOOK_SANDBOX_QUOTA = { limit: 200, windowMs: 3_600_000 } as const;

const DAY_MS = 86_400_000;
const LA = 'America/Los_Angeles';
const PAGE_METRICS = new Set(['page_media_view', 'page_post_engagements', 'page_follows']);
const POST_METRICS = new Set(['post_media_view', 'post_total_media_view_unique', 'post_clicks']);
const RETIRED =
  /^(page_impressions|page_fans|page_engaged_users|page_consumptions|post_impressions)/;

interface Post {
  readonly id: string;
  readonly message: string;
  readonly published: boolean;
  /** A scheduled post goes live at this time (epoch ms). */
  readonly publishAt?: number;
  readonly createdAt: number;
}

function graphError(
  code: number,
  message: string,
  extra: Record<string, unknown> = {},
  status = 400,
): SandboxResponse {
  return {
    status,
    body: {
      error: { message, type: 'OAuthException', code, ...extra, fbtrace_id: 'AXsandboxTrace' },
    },
  };
}

const laHour = new Intl.DateTimeFormat('en-US', {
  timeZone: LA,
  hour: 'numeric',
  hourCycle: 'h23',
});

/** Pacific midnight at the end of UTC date `day` (epoch ms of that date), as Graph writes it. */
function endOfPacificDay(day: number): string {
  const eight = day + DAY_MS + 8 * 3_600_000;
  const end = Number(laHour.format(eight)) === 0 ? eight : eight - 3_600_000;
  return new Date(end).toISOString().replace(/\.\d{3}Z$/, '+0000');
}

/** Builds the fake Graph API for Pages. */
export function createFacebookSandbox(context: SandboxContext): PlatformSandbox {
  const posts = new Map<string, Post[]>();
  let serial = 1_116_692_661_689_000;

  const tokenOf = (request: ReceivedRequest): string =>
    request.query.access_token ?? (request.headers.authorization ?? '').replace(/^Bearer /, '');

  const publish = (
    pageId: string,
    token: string,
    form: Record<string, unknown>,
  ): SandboxResponse => {
    if (token.includes('noperm'))
      return graphError(
        200,
        '(#200) If posting to a page, requires both pages_read_engagement and pages_manage_posts permission with page token',
      );
    const message = typeof form.message === 'string' ? form.message : '';
    if (message === '' && typeof form.link !== 'string')
      return graphError(100, '(#100) Missing message or attachment');
    const published = form.published !== 'false';
    if (form.scheduled_publish_time !== undefined) {
      const at = Number(form.scheduled_publish_time) * 1000;
      const now = context.clock.now();
      if (published || !(at >= now + 600_000 && at <= now + 30 * DAY_MS))
        return graphError(100, '(#100) The specified scheduled publish time is invalid.');
    }
    const list = posts.get(pageId) ?? [];
    if (message !== '' && list.some((p) => p.message === message))
      return graphError(506, '(#506) Duplicate status message');
    serial += 1 + Math.floor(context.random() * 1000);
    const post: Post = {
      id: `${pageId}_${serial}`,
      message,
      published,
      ...(published ? {} : { publishAt: Number(form.scheduled_publish_time) * 1000 }),
      createdAt: context.clock.now(),
    };
    posts.set(pageId, [...list, post]);
    context.deliver({
      recipient: pageId,
      messageId: post.id,
      key: /ref:(\w+)$/.exec(message)?.[1],
    });
    return { status: 200, body: { id: post.id } };
  };

  const feed = (request: ReceivedRequest, pageId: string, published: boolean): SandboxResponse => {
    // A scheduled post is live once its time has come.
    const live = (p: Post): boolean =>
      p.published || (p.publishAt ?? Infinity) <= context.clock.now();
    const all = (posts.get(pageId) ?? []).filter((p) => live(p) === published).reverse();
    const limit = Math.min(Number(request.query.limit ?? 25), 100);
    const start = request.query.after
      ? Number(Buffer.from(request.query.after, 'base64url').toString())
      : 0;
    const page = all.slice(start, start + limit);
    const after = Buffer.from(String(start + limit)).toString('base64url');
    const next = new URL(`http://${request.headers.host ?? 'graph.sandbox'}${request.path}`);
    for (const [key, value] of Object.entries(request.query)) next.searchParams.set(key, value);
    next.searchParams.set('after', after);
    return {
      status: 200,
      body: {
        data: page.map((p) => ({
          id: p.id,
          message: p.message,
          created_time: new Date(p.createdAt).toISOString().replace(/\.\d{3}Z$/, '+0000'),
        })),
        paging: {
          cursors: { before: Buffer.from(String(start)).toString('base64url'), after },
          ...(start + limit < all.length ? { next: next.toString() } : {}),
        },
      },
    };
  };

  const insights = (objectId: string, query: Readonly<Record<string, string>>): SandboxResponse => {
    const metrics = (query.metric ?? '').split(',').filter((m) => m !== '');
    if (metrics.length === 0)
      return graphError(3001, 'Invalid query', { error_subcode: 1_504_028 });
    const isPost = objectId.includes('_');
    const known = isPost ? POST_METRICS : PAGE_METRICS;
    const bad = metrics.find((m) => !known.has(m) || RETIRED.test(m));
    if (bad) return graphError(100, `(#100) The value must be a valid insights metric: ${bad}`);
    if (isPost) {
      const [pageId] = objectId.split('_');
      if (!(posts.get(pageId!) ?? []).some((p) => p.id === objectId))
        return graphError(
          100,
          `Unsupported get request. Object with ID '${objectId}' does not exist`,
          { type: 'GraphMethodException', error_subcode: 33 },
        );
      return {
        status: 200,
        body: {
          data: metrics.map((name) => ({
            name,
            period: 'lifetime',
            values: [{ value: seededGraphMetric(context.seed, `${objectId}:${name}`) }],
            id: `${objectId}/insights/${name}/lifetime`,
          })),
        },
      };
    }
    const since = Date.parse(`${query.since ?? ''}T00:00:00Z`);
    const until = Date.parse(`${query.until ?? ''}T00:00:00Z`);
    if (Number.isNaN(since) || Number.isNaN(until) || until <= since)
      return graphError(100, '(#100) since and until must be dates with since before until');
    if (until - since > 90 * DAY_MS)
      return graphError(
        100,
        '(#100) There cannot be more than 90 days (7776000 s) between since and until',
      );
    const days: number[] = [];
    for (let day = since; day < until; day += DAY_MS) days.push(day);
    return {
      status: 200,
      body: {
        data: metrics.map((name) => ({
          name,
          period: 'day',
          values: days.map((day) => ({
            value: seededGraphMetric(context.seed, `${objectId}:${name}:${day}`),
            end_time: endOfPacificDay(day),
          })),
          title: name,
          id: `${objectId}/insights/${name}/day`,
        })),
        paging: {},
      },
    };
  };

  return {
    platform: 'facebook',
    lane(request: ReceivedRequest): QuotaLane | undefined {
      return { key: tokenOf(request), ...FACEBOOK_SANDBOX_QUOTA };
    },
    handle(request: ReceivedRequest): SandboxResponse {
      const token = tokenOf(request);
      if (!token.startsWith('EAA'))
        return graphError(190, 'Invalid OAuth access token - Cannot parse access token');
      if (!/^[0-9a-f]{64}$/.test(request.query.appsecret_proof ?? ''))
        return graphError(100, 'appsecret_proof is required for this app');
      const match = /^\/v\d+\.0\/(\d+(?:_\d+)?)\/(feed|scheduled_posts|insights)$/.exec(
        request.path,
      );
      if (!match)
        return graphError(100, `Unknown path components: ${request.path}`, {
          type: 'OAuthException',
          error_subcode: 2500,
        });
      const [, objectId = '', edge] = match;
      if (edge === 'insights' && request.method === 'GET') return insights(objectId, request.query);
      if (edge === 'feed' && request.method === 'POST')
        return publish(objectId, token, (request.body ?? {}) as Record<string, unknown>);
      if (request.method === 'GET' && edge !== 'insights')
        return feed(request, objectId, edge === 'feed');
      return graphError(100, `Unsupported ${request.method} request.`, {
        type: 'GraphMethodException',
      });
    },
    rateLimited: (retryAfterSeconds) => ({
      ...graphError(32, '(#32) Page request limit reached'),
      headers: {
        'x-business-use-case-usage': JSON.stringify({
          '104000000000001': [
            {
              type: 'pages',
              call_count: 100,
              total_cputime: 20,
              total_time: 20,
              estimated_time_to_regain_access: Math.ceil(retryAfterSeconds / 60),
            },
          ],
        }),
      },
    }),
    // Graph's edge answers a 502 with an HTML page, not the error envelope.
    serverError: (status) =>
      status === 502
        ? { status, body: '<html><body><h1>502 Bad Gateway</h1></body></html>' }
        : status === 503
          ? graphError(2, 'Service temporarily unavailable', { is_transient: true }, status)
          : graphError(1, 'An unknown error has occurred.', { is_transient: true }, status),
    expiredToken: () =>
      graphError(
        190,
        'Error validating access token: Session has expired on Tuesday, 01-Dec-25 06:00:00 PST.',
        { error_subcode: 463 },
      ),
    // Usage in percent of the lane, as Graph reports it once enough calls were made.
    quotaHeaders: (lane, used) => {
      const pct = Math.min(100, Math.round((used / lane.limit) * 100));
      return {
        'x-app-usage': JSON.stringify({
          call_count: pct,
          total_time: Math.round(pct / 2),
          total_cputime: Math.round(pct / 2),
        }),
        'x-business-use-case-usage': JSON.stringify({
          '104000000000001': [
            {
              type: 'pages',
              call_count: pct,
              total_cputime: Math.round(pct / 2),
              total_time: Math.round(pct / 2),
              estimated_time_to_regain_access: 0,
            },
          ],
        }),
      };
    },
    versionSunset: () =>
      graphError(12, '(#12) This Graph API version is deprecated; use v25.0 or later'),
  };
}

/** A reproducible integer metric value for a key. */
export function seededGraphMetric(seed: number, key: string): number {
  return Math.floor(seededRandom(seed ^ fnv1a(`facebook:${key}`))() * 5000);
}
