/**
 * @module
 * Instagram Graph API through Facebook Login (contract: instagram.md): two-phase publishing
 * (create a container, poll it until `FINISHED`, publish it) and lifetime media insights, with
 * the same token, `appsecret_proof` and error envelope as Facebook Pages.
 *
 * Exactly-once: Instagram has no idempotency key and re-creating a container can double-post
 * (contract §8). Every caption ends with `ref:<hash of the idempotency key>`; `reconcile`
 * reads the account's latest media for it. A container made but never published is not a
 * post: it expires after 24 hours, so it is `not_found`.
 */
import { createHash, createHmac } from 'node:crypto';
import type { z } from 'zod';
import type { AuthStrategy } from '../auth-strategy.js';
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
import { ConnectorError } from '../connector-error.js';
import { FACEBOOK_GRAPH_VERSION, interpretFacebook } from '../facebook/facebook-connector.js';
import { GraphErrorBody, InsightsResponse } from '../facebook/facebook-schemas.js';
import { HttpClient } from '../http-client.js';
import { withMetaRetryAfter } from '../meta-ads/meta-ads-error-codes.js';
import type { RateQuota } from '../quota-limiter.js';
import type { RawResponse, ResponseFailure } from '../raw-response.js';
import { ContainerStatus, IdResponse, IgMedia, MediaPage } from './instagram-schemas.js';

/** Graph calls per rolling hour: 200 × one daily active user, as for Pages. */
export const INSTAGRAM_QUOTA: RateQuota = { limit: 200, windowMs: 3_600_000 };
/** Containers per account per rolling 24 hours (contract §3.1). */
export const INSTAGRAM_CONTAINER_QUOTA: RateQuota = { limit: 400, windowMs: 86_400_000 };
/**
 * Publications per account per rolling 24 hours. The documented figure is 25, 50 or 100 by
 * page (contract §3.4, unconfirmed): 25, the lowest, is the safer choice.
 */
export const INSTAGRAM_PUBLISH_QUOTA: RateQuota = { limit: 25, windowMs: 86_400_000 };
/** Lifetime metrics read per media: current names (`impressions`, `plays` are retired). */
export const INSTAGRAM_MEDIA_METRICS = [
  'views',
  'reach',
  'likes',
  'comments',
  'saved',
  'shares',
  'total_interactions',
];
/** Container polling: about once a minute, for no more than five minutes (contract §3.2). */
const POLL_INTERVAL_MS = 60_000;
const MAX_POLLS = 5;
/** Pages of media `reconcile` reads before it answers `unknown`. */
const MAX_MEDIA_PAGES = 3;
const VIDEO = /\.(mp4|mov)(\?|$)/i;

/** Maps an Instagram response to a failure: Graph's mapping plus the publishing codes (§6). */
export function interpretInstagram(response: RawResponse): ResponseFailure | undefined {
  const failure = interpretFacebook(response);
  const parsed = GraphErrorBody.safeParse(response.body);
  if (!failure || !parsed.success) return failure;
  const { code, error_subcode: subcode } = parsed.data.error;
  if (code === 9 && subcode === 2_207_042) return { ...failure, code: 'quota_exhausted' };
  if (code === 4 && subcode === 2_207_051) return { ...failure, code: 'permission_denied' };
  // -2 (media download timed out) and 9007 (container not ready) left nothing behind; -1 is
  // an Instagram server error, after which a publication may have happened.
  if (code === -1 || code === -2 || code === 9007) {
    return { ...failure, code: 'transient', mayHaveCommitted: code === -1 };
  }
  return failure;
}

/** The reference that ends the caption of the media `request` publishes. */
export function instagramMarker(request: ActionRequest): string {
  return `ref:${createHash('sha256').update(request.idempotencyKey).digest('hex').slice(0, 12)}`;
}

function graphAuth(token: string, appSecret: string): AuthStrategy {
  const proof = createHmac('sha256', appSecret).update(token).digest('hex');
  return {
    authorize: (request) => {
      request.headers.authorization = `Bearer ${token}`;
      request.query.appsecret_proof = proof;
      return Promise.resolve(token);
    },
    // Facebook Login tokens are re-exchanged, not refreshed (contract §2).
    refresh: () => Promise.resolve(false),
    secrets: () => [token, appSecret, proof],
  };
}

/**
 * Builds the Instagram connector. Settings: `accessToken` (`INSTAGRAM_ACCESS_TOKEN`, a Facebook
 * Login user token with `instagram_content_publish`), `userId` (`INSTAGRAM_USER_ID`, the
 * professional account's id), `appSecret` (`META_APP_SECRET`), optional `version`
 * (`META_GRAPH_VERSION`) and `baseUrl`. The step's first media URL is the image (JPEG) or, for
 * `.mp4`/`.mov`, the reel; carousels are not supported.
 * @example
 * const instagram = createInstagramConnector({ env: process.env, clock: systemClock, limiter });
 */
export function createInstagramConnector(deps: ConnectorDeps): Connector {
  const settings = readSettings(
    'instagram',
    [
      { key: 'accessToken', env: 'INSTAGRAM_ACCESS_TOKEN' },
      { key: 'userId', env: 'INSTAGRAM_USER_ID' },
      { key: 'appSecret', env: 'META_APP_SECRET' },
      { key: 'version', env: 'META_GRAPH_VERSION', required: false },
      { key: 'baseUrl', env: 'INSTAGRAM_BASE_URL', required: false },
    ],
    deps,
  );
  const userId = settings.userId!;
  const version = settings.version ?? FACEBOOK_GRAPH_VERSION;
  const client = new HttpClient({
    platform: 'instagram',
    baseUrl: deps.baseUrl ?? settings.baseUrl ?? 'https://graph.facebook.com',
    apiVersion: version,
    successorVersion: 'a Graph API version listed as available in the changelog',
    auth: graphAuth(settings.accessToken!, settings.appSecret!),
    clock: deps.clock,
    limiter: deps.limiter,
    quota: INSTAGRAM_QUOTA,
    account: userId,
    interpret: interpretInstagram,
    ...clientOptions(deps),
    fetch: withMetaRetryAfter(deps.fetch, () => undefined),
  });
  const get = async <T>(
    path: string,
    schema: z.ZodType<T>,
    query: Record<string, string> | undefined,
    signal: AbortSignal | undefined,
  ): Promise<T> => {
    const response = await client.request({
      method: 'GET',
      path,
      idempotent: true,
      schema,
      ...(query ? { query } : {}),
      ...(signal ? { signal } : {}),
    });
    return response.data;
  };
  const resultOf = (media: IgMedia): ActionResult => ({
    externalId: media.id,
    outputs: { url: media.permalink, mediaId: media.id },
    accepted: 1,
  });
  const fail = (message: string, code: 'invalid_request' | 'transient' = 'invalid_request') =>
    new ConnectorError({ platform: 'instagram', code, message });

  return {
    platform: 'instagram',
    capabilities: ['publish', 'fetch_metrics'],
    maxBatchSize: 1,
    async perform(request: ActionRequest): Promise<ActionResult> {
      const { title, text, link, mediaUrls } = request.content;
      const [mediaUrl] = mediaUrls;
      if (request.action !== 'post' || mediaUrl === undefined || mediaUrls.length > 1) {
        throw fail(`${request.action} needs exactly one image or video URL; Instagram posts media`);
      }
      const signal = request.signal ? { signal: request.signal } : {};
      const caption = [title, text, link, instagramMarker(request)]
        .filter((part) => part !== undefined && part !== '')
        .join('\n\n');
      // Wait for a publication slot before making the container: a container left waiting
      // for the 24-hour publishing quota would expire first (contract §3.1).
      await deps.limiter.acquire(
        `instagram:${userId}:slot`,
        INSTAGRAM_PUBLISH_QUOTA,
        request.signal,
      );
      const container = await client.request({
        method: 'POST',
        path: `/${version}/${userId}/media`,
        lane: 'media',
        quota: INSTAGRAM_CONTAINER_QUOTA,
        // A container is not a post: creating a second one after a lost answer is harmless.
        idempotent: true,
        schema: IdResponse,
        form: VIDEO.test(mediaUrl)
          ? { media_type: 'REELS', video_url: mediaUrl, caption }
          : { image_url: mediaUrl, caption },
        ...signal,
      });
      const containerId = container.data.id;
      for (let poll = 1; ; poll++) {
        const status = await get(
          `/${version}/${containerId}`,
          ContainerStatus,
          { fields: 'status_code,status' },
          request.signal,
        );
        if (status.status_code === 'FINISHED') break;
        if (status.status_code === 'ERROR' || status.status_code === 'EXPIRED') {
          throw fail(`container ${containerId} is ${status.status_code}: ${status.status ?? ''}`);
        }
        if (poll >= MAX_POLLS) {
          throw fail(
            `container ${containerId} still processing after ${MAX_POLLS} polls`,
            'transient',
          );
        }
        await deps.clock.sleepUntil(deps.clock.now() + POLL_INTERVAL_MS, request.signal);
      }
      const published = await client.request({
        method: 'POST',
        path: `/${version}/${userId}/media_publish`,
        lane: 'media_publish',
        quota: INSTAGRAM_PUBLISH_QUOTA,
        idempotent: false,
        schema: IdResponse,
        form: { creation_id: containerId },
        ...signal,
      });
      const media = await get(
        `/${version}/${published.data.id}`,
        IgMedia,
        { fields: 'id,caption,permalink,timestamp' },
        request.signal,
      );
      return resultOf(media);
    },
    async reconcile(request: ActionRequest): Promise<Reconciliation> {
      const marker = instagramMarker(request);
      let path = `/${version}/${userId}/media`;
      let query: Record<string, string> | undefined = {
        fields: 'id,caption,permalink,timestamp',
        limit: '100',
      };
      for (let page = 0; page < MAX_MEDIA_PAGES; page++) {
        const data = await get(path, MediaPage, query, request.signal);
        const found = data.data.find((media) => media.caption?.endsWith(marker));
        if (found) return { status: 'done', result: resultOf(found) };
        const next = data.paging?.next;
        if (next === undefined) return { status: 'not_found' };
        path = next;
        query = undefined;
      }
      return {
        status: 'unknown',
        reason: `not among the account's latest ${MAX_MEDIA_PAGES * 100} media`,
      };
    },
    async fetchMetrics(query: MetricsRequest): Promise<readonly MetricsRow[]> {
      // Media insights are lifetime totals as of the call (delayed up to 48 h): dated today.
      const date = new Date(deps.clock.now()).toISOString().slice(0, 10);
      let ids = query.entities;
      if (ids === undefined) {
        const recent = await get(
          `/${version}/${userId}/media`,
          MediaPage,
          { fields: 'id,permalink,timestamp', limit: '100' },
          query.signal,
        );
        ids = recent.data
          .filter((media) => {
            const day = (media.timestamp ?? '').slice(0, 10);
            return day >= query.from && day <= query.to;
          })
          .map((media) => media.id);
      }
      const rows: MetricsRow[] = [];
      for (const mediaId of ids) {
        const data = await get(
          `/${version}/${mediaId}/insights`,
          InsightsResponse,
          { metric: INSTAGRAM_MEDIA_METRICS.join(',') },
          query.signal,
        );
        const metrics: Record<string, number> = {};
        for (const metric of data.data) {
          const value = metric.values[0]?.value;
          if (typeof value === 'number') metrics[metric.name] = value;
        }
        rows.push({ date, entity: mediaId, metrics, timeZone: 'UTC' });
      }
      return rows;
    },
    health: (): ConnectorHealth => client.health(),
  };
}
