/**
 * @module
 * Fake Instagram Graph API (contract: docs/platforms/instagram.md): containers
 * (`POST /{ig-user-id}/media`) that finish processing on the sandbox clock (images after 5 s,
 * reels after 90 s) and expire after 24 h, status polling, `media_publish` refusing unfinished
 * (9007/2207027) or already published containers, the 24-hour publishing quota (9/2207042,
 * `content_publishing_limit`), `GET /{ig-user-id}/media` with cursor paging, permalinks, and
 * seeded lifetime media insights (retired names refused with code 100). Errors are HTTP 400
 * Graph envelopes.
 *
 * Sandbox conventions: tokens start with `EAA` and every call carries a 64-hex
 * `appsecret_proof`; a media URL containing `broken` fails processing, `slow` never finishes.
 */
import type {
  PlatformSandbox,
  QuotaLane,
  ReceivedRequest,
  SandboxContext,
  SandboxResponse,
} from '../sandbox-types.js';
import { fnv1a, seededRandom } from '../../seeded-random.js';

/** Graph calls per token per rolling hour. */
export const INSTAGRAM_SANDBOX_QUOTA = { limit: 200, windowMs: 3_600_000 } as const;
/** Publications per rolling 24 hours (`config.quota_total`). */
export const INSTAGRAM_SANDBOX_PUBLISH_TOTAL = 25;

const DAY_MS = 86_400_000;
const METRICS = new Set([
  'views',
  'reach',
  'likes',
  'comments',
  'saved',
  'shares',
  'total_interactions',
]);

interface Container {
  readonly id: string;
  readonly url: string;
  readonly caption: string;
  readonly reel: boolean;
  readonly createdAt: number;
  published: boolean;
}
interface Media {
  readonly id: string;
  readonly caption: string;
  readonly permalink: string;
  readonly at: number;
}

function graphError(
  code: number,
  message: string,
  subcode?: number,
  status = 400,
): SandboxResponse {
  return {
    status,
    body: {
      error: {
        message,
        type: 'OAuthException',
        code,
        ...(subcode === undefined ? {} : { error_subcode: subcode }),
        is_transient: false,
        fbtrace_id: 'AIGsandboxTrace',
      },
    },
  };
}

const graphTime = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000');

/** Builds the fake Instagram Graph API. */
export function createInstagramSandbox(context: SandboxContext): PlatformSandbox {
  const containers = new Map<string, Container>();
  const media: Media[] = [];
  // Media ids exceed 2^53: BigInt keeps every one distinct.
  let serial = 17_889_455_560_051_000n;
  const nextId = (): string => {
    serial += BigInt(1 + Math.floor(context.random() * 1000));
    return String(serial);
  };

  const statusOf = (container: Container): string => {
    const age = context.clock.now() - container.createdAt;
    if (container.published) return 'PUBLISHED';
    if (age >= DAY_MS) return 'EXPIRED';
    if (container.url.includes('broken')) return 'ERROR';
    if (container.url.includes('slow') || age < (container.reel ? 90_000 : 5_000))
      return 'IN_PROGRESS';
    return 'FINISHED';
  };

  const create = (form: Record<string, unknown>): SandboxResponse => {
    const reel = form.media_type === 'REELS';
    if (form.media_type === 'VIDEO')
      return graphError(100, 'The media type VIDEO is no longer supported; use REELS.');
    const url = reel ? form.video_url : form.image_url;
    if (typeof url !== 'string' || !/^https?:\/\//.test(url))
      return graphError(
        100,
        `(#100) The parameter ${reel ? 'video_url' : 'image_url'} is required`,
      );
    const container: Container = {
      id: nextId(),
      url,
      caption: typeof form.caption === 'string' ? form.caption : '',
      reel,
      createdAt: context.clock.now(),
      published: false,
    };
    containers.set(container.id, container);
    return { status: 200, body: { id: container.id } };
  };

  const publishedToday = (): number =>
    media.filter((m) => m.at > context.clock.now() - DAY_MS).length;

  const publish = (userId: string, form: Record<string, unknown>): SandboxResponse => {
    const container = containers.get(String(form.creation_id));
    if (!container) return graphError(24, 'The requested resource does not exist', 2_207_008);
    const status = statusOf(container);
    if (status === 'PUBLISHED') return graphError(100, 'This media has already been published');
    if (status === 'EXPIRED') return graphError(-2, 'The media container has expired', 2_207_020);
    if (status !== 'FINISHED') return graphError(9007, 'Media ID is not available', 2_207_027);
    if (publishedToday() >= INSTAGRAM_SANDBOX_PUBLISH_TOTAL)
      return graphError(
        9,
        'You reached maximum number of posts that is allowed to be published',
        2_207_042,
      );
    container.published = true;
    const id = nextId();
    const shortcode = BigInt(id).toString(36);
    media.push({
      id,
      caption: container.caption,
      permalink: `https://www.instagram.com/p/${shortcode}/`,
      at: context.clock.now(),
    });
    context.deliver({
      recipient: userId,
      messageId: id,
      key: /ref:(\w+)$/.exec(container.caption)?.[1],
    });
    return { status: 200, body: { id } };
  };

  const view = (m: Media) => ({
    id: m.id,
    caption: m.caption,
    permalink: m.permalink,
    timestamp: graphTime(m.at),
    media_type: 'IMAGE',
    media_product_type: 'FEED',
  });

  const list = (request: ReceivedRequest): SandboxResponse => {
    const all = [...media].reverse();
    const limit = Math.min(Number(request.query.limit ?? 25), 100);
    const start = request.query.after
      ? Number(Buffer.from(request.query.after, 'base64url').toString())
      : 0;
    const after = Buffer.from(String(start + limit)).toString('base64url');
    const next = new URL(`http://${request.headers.host ?? 'graph.sandbox'}${request.path}`);
    for (const [key, value] of Object.entries(request.query)) next.searchParams.set(key, value);
    next.searchParams.set('after', after);
    return {
      status: 200,
      body: {
        data: all.slice(start, start + limit).map(view),
        paging: {
          cursors: { after },
          ...(start + limit < all.length ? { next: next.toString() } : {}),
        },
      },
    };
  };

  const insights = (id: string, query: Readonly<Record<string, string>>): SandboxResponse => {
    if (!media.some((m) => m.id === id))
      return graphError(100, `Unsupported get request. Object with ID '${id}' does not exist`, 33);
    const names = (query.metric ?? '').split(',');
    const bad = names.find((name) => !METRICS.has(name));
    if (bad)
      return graphError(
        100,
        `(#100) metric[0] must be one of the following values: ${[...METRICS].join(', ')}; ${bad} is not`,
      );
    return {
      status: 200,
      body: {
        data: names.map((name) => ({
          name,
          period: 'lifetime',
          values: [
            {
              value: Math.floor(
                seededRandom(context.seed ^ fnv1a(`instagram:${id}:${name}`))() * 3000,
              ),
            },
          ],
          title: name,
          id: `${id}/insights/${name}/lifetime`,
        })),
      },
    };
  };

  return {
    platform: 'instagram',
    lane(request: ReceivedRequest): QuotaLane | undefined {
      return { key: request.headers.authorization ?? '', ...INSTAGRAM_SANDBOX_QUOTA };
    },
    handle(request: ReceivedRequest): SandboxResponse {
      if (!(request.headers.authorization ?? '').startsWith('Bearer EAA'))
        return graphError(190, 'Invalid OAuth access token - Cannot parse access token');
      if (!/^[0-9a-f]{64}$/.test(request.query.appsecret_proof ?? ''))
        return graphError(100, 'appsecret_proof is required for this app');
      const [, version = '', id = '', edge] = request.path.split('/');
      const body = (request.body ?? {}) as Record<string, unknown>;
      const route = `${request.method} ${edge ?? ''}`;
      if (!/^v\d+\.0$/.test(version))
        return graphError(100, `Unknown path components: ${request.path}`);
      if (route === 'POST media') return create(body);
      if (route === 'POST media_publish') return publish(id, body);
      if (route === 'GET media') return list(request);
      if (route === 'GET insights') return insights(id, request.query);
      if (route === 'GET content_publishing_limit')
        return {
          status: 200,
          body: {
            data: [
              {
                quota_usage: publishedToday(),
                config: { quota_total: INSTAGRAM_SANDBOX_PUBLISH_TOTAL, quota_duration: 86_400 },
              },
            ],
          },
        };
      if (route === 'GET ') {
        const container = containers.get(id);
        if (container) {
          const status = statusOf(container);
          return {
            status: 200,
            body: {
              id,
              status_code: status,
              ...(status === 'ERROR'
                ? { status: 'Error: 2207004 The image could not be downloaded' }
                : {}),
            },
          };
        }
        const found = media.find((m) => m.id === id);
        if (found) return { status: 200, body: view(found) };
      }
      return graphError(
        100,
        `Unsupported ${request.method} request. Object with ID '${id}' does not exist`,
        33,
      );
    },
    rateLimited: (retryAfterSeconds) => ({
      ...graphError(4, '(#4) Application request limit reached'),
      headers: {
        'x-business-use-case-usage': JSON.stringify({
          '17841400000000001': [
            {
              type: 'instagram',
              call_count: 100,
              total_cputime: 10,
              total_time: 10,
              estimated_time_to_regain_access: Math.ceil(retryAfterSeconds / 60),
            },
          ],
        }),
      },
    }),
    serverError: (status) =>
      graphError(
        -1,
        'An unexpected error has occurred. Please retry your request later.',
        2_207_001,
        status,
      ),
    expiredToken: () =>
      graphError(
        190,
        'Error validating access token: Session has expired on Tuesday, 01-Dec-25 06:00:00 PST.',
        463,
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
          '17841400000000001': [
            {
              type: 'instagram',
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
