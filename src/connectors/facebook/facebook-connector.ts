/**
 * @module
 * Facebook Pages through the Graph API (contract: meta-graph.md): page posts with a Page
 * access token and `appsecret_proof`, page insights by day and post insights.
 *
 * Exactly-once: Graph has no idempotency key and its duplicate check (code 506) is not a
 * dedupe (contract §8). Every post's message ends with `ref:<hash of the idempotency key>`, so
 * `reconcile` reads the Page's feed (or its scheduled posts) for it and answers `unknown`
 * past its page budget. Throttles are HTTP 400 with the code in the body; the wait is read
 * from `X-Business-Use-Case-Usage` as for the Marketing API.
 */
import { createHash, createHmac } from 'node:crypto';
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
import { ConnectorError, type ConnectorErrorCode } from '../connector-error.js';
import { HttpClient } from '../http-client.js';
import { withMetaRetryAfter } from '../meta-ads/meta-ads-error-codes.js';
import type { RateQuota } from '../quota-limiter.js';
import type { RawResponse, ResponseFailure } from '../raw-response.js';
import {
  FeedPage,
  FeedPostResponse,
  GraphErrorBody,
  InsightsResponse,
} from './facebook-schemas.js';

/**
 * Calls per rolling hour. The platform limit is 200 × daily active users per hour (contract
 * §4); a server app has one, so 200 per hour is the safer reading. Pages BUC limits are higher.
 */
export const FACEBOOK_QUOTA: RateQuota = { limit: 200, windowMs: 3_600_000 };
/** Graph version pinned by default; v25.0 was released 2026-02-18 (contract §1). */
export const FACEBOOK_GRAPH_VERSION = 'v25.0';
/** Daily Page metrics read, all current names (the `page_impressions` family is retired). */
export const FACEBOOK_PAGE_METRICS = ['page_media_view', 'page_post_engagements', 'page_follows'];
/** Lifetime post metrics read for `entities`. */
export const FACEBOOK_POST_METRICS = [
  'post_media_view',
  'post_total_media_view_unique',
  'post_clicks',
];
/** Page insights accept at most 90 days per request (contract §3.2). */
const MAX_RANGE_DAYS = 90;
const DAY_MS = 86_400_000;
/** Pages of the feed `reconcile` reads before it answers `unknown`. */
const MAX_FEED_PAGES = 3;
/** Daily Page insights are labelled by the end of a Pacific-time day (contract §7). */
const REPORTING_ZONE = 'America/Los_Angeles';

/** Throttles: app (4), user (17), Page (32), app limit (341), custom (613), Pages BUC (80001). */
const THROTTLES = new Set([4, 17, 32, 341, 613, 80_001]);

/** Maps a Graph API response to a failure (contract §5). */
export function interpretFacebook(response: RawResponse): ResponseFailure | undefined {
  if (response.status < 300) return undefined;
  const parsed = GraphErrorBody.safeParse(response.body);
  if (!parsed.success) return { code: response.status >= 500 ? 'transient' : 'invalid_request' };
  const { code, error_subcode: subcode, message, is_transient: transient } = parsed.data.error;
  const mapped = graphCode(code, subcode, transient);
  return {
    code: mapped,
    platformCode: subcode === undefined ? String(code) : `${code}/${subcode}`,
    platformMessage: message,
    // Codes 1 and 2 are Graph failing mid-call: a post may still have been made.
    mayHaveCommitted: mapped === 'transient',
  };
}

function graphCode(
  code: number,
  subcode: number | undefined,
  transient = false,
): ConnectorErrorCode {
  if (THROTTLES.has(code)) return 'rate_limited';
  if (code === 190 || code === 102) return 'auth_expired';
  if (code === 3 || code === 10 || code === 368 || (code >= 200 && code <= 299))
    return 'permission_denied';
  if (code === 100 && subcode === 33) return 'not_found';
  if (code === 506) return 'conflict';
  // 12 "deprecated API version" and 2635 are observed in Graph clients, not in the contract
  // (unconfirmed): Meta usually serves a retired version with the next one instead.
  if (code === 12 || code === 2635) return 'version_sunset';
  if (code === 1 || code === 2 || transient) return 'transient';
  return 'invalid_request';
}

/** The reference that ends the message of the post `request` creates. */
export function facebookMarker(request: ActionRequest): string {
  return `ref:${createHash('sha256').update(request.idempotencyKey).digest('hex').slice(0, 12)}`;
}

/** Bearer Page token plus `appsecret_proof = HMAC-SHA256(app secret, token)` on every call. */
function pageAuth(token: string, appSecret: string): AuthStrategy {
  const proof = createHmac('sha256', appSecret).update(token).digest('hex');
  return {
    authorize: (request) => {
      request.headers.authorization = `Bearer ${token}`;
      request.query.appsecret_proof = proof;
      return Promise.resolve(token);
    },
    // Page tokens have no refresh grant (contract §2): a new one comes from a new login.
    refresh: () => Promise.resolve(false),
    secrets: () => [token, appSecret, proof],
  };
}

const pacificDay = new Intl.DateTimeFormat('en-CA', { timeZone: REPORTING_ZONE });

/**
 * Builds the Facebook Pages connector. Settings: `pageAccessToken` (`META_PAGE_ACCESS_TOKEN`),
 * `pageId` (`META_PAGE_ID`), `appSecret` (`META_APP_SECRET`, for `appsecret_proof`), optional
 * `version` (`META_GRAPH_VERSION`, default v25.0) and `baseUrl`. Step option
 * `scheduled_publish_time` (UNIX seconds, 10 minutes to 30 days ahead) schedules the post.
 * @example
 * const facebook = createFacebookConnector({ env: process.env, clock: systemClock, limiter });
 */
export function createFacebookConnector(deps: ConnectorDeps): Connector {
  const settings = readSettings(
    'facebook',
    [
      { key: 'pageAccessToken', env: 'META_PAGE_ACCESS_TOKEN' },
      { key: 'pageId', env: 'META_PAGE_ID' },
      { key: 'appSecret', env: 'META_APP_SECRET' },
      { key: 'version', env: 'META_GRAPH_VERSION', required: false },
      { key: 'baseUrl', env: 'META_GRAPH_BASE_URL', required: false },
    ],
    deps,
  );
  const pageId = settings.pageId!;
  const version = settings.version ?? FACEBOOK_GRAPH_VERSION;
  const client = new HttpClient({
    platform: 'facebook',
    baseUrl: deps.baseUrl ?? settings.baseUrl ?? 'https://graph.facebook.com',
    apiVersion: version,
    successorVersion: 'a Graph API version listed as available in the changelog',
    auth: pageAuth(settings.pageAccessToken!, settings.appSecret!),
    clock: deps.clock,
    limiter: deps.limiter,
    quota: FACEBOOK_QUOTA,
    account: pageId,
    interpret: interpretFacebook,
    ...clientOptions(deps),
    fetch: withMetaRetryAfter(deps.fetch, () => undefined),
  });
  const resultOf = (id: string): ActionResult => ({
    externalId: id,
    outputs: {
      url: `https://www.facebook.com/${pageId}/posts/${id.slice(id.indexOf('_') + 1)}`,
      postId: id,
    },
    accepted: 1,
  });
  const insights = async (
    objectId: string,
    query: Record<string, string>,
    signal: AbortSignal | undefined,
  ): Promise<InsightsResponse> => {
    const response = await client.request({
      method: 'GET',
      path: `/${version}/${objectId}/insights`,
      idempotent: true,
      schema: InsightsResponse,
      query,
      ...(signal ? { signal } : {}),
    });
    return response.data;
  };

  const findIn = async (
    edge: string,
    marker: string,
    signal: AbortSignal | undefined,
  ): Promise<Reconciliation> => {
    let path = `/${version}/${pageId}/${edge}`;
    let query: Record<string, string> | undefined = { fields: 'id,message', limit: '100' };
    for (let page = 0; page < MAX_FEED_PAGES; page++) {
      const response = await client.request({
        method: 'GET',
        path,
        idempotent: true,
        schema: FeedPage,
        ...(query ? { query } : {}),
        ...(signal ? { signal } : {}),
      });
      const found = response.data.data.find((post) => post.message?.endsWith(marker));
      if (found) return { status: 'done', result: resultOf(found.id) };
      const next = response.data.paging?.next;
      if (next === undefined) return { status: 'not_found' };
      // `paging.next` is a full URL carrying its own cursor (contract §6).
      path = next;
      query = undefined;
    }
    return {
      status: 'unknown',
      reason: `not among the latest ${MAX_FEED_PAGES * 100} posts of the Page's ${edge}`,
    };
  };

  return {
    platform: 'facebook',
    capabilities: ['publish', 'fetch_metrics'],
    maxBatchSize: 1,
    async perform(request: ActionRequest): Promise<ActionResult> {
      const { title, text, link } = request.content;
      const message = [title, text]
        .filter((part) => part !== undefined && part !== '')
        .join('\n\n');
      const scheduled = request.options.scheduled_publish_time;
      if (
        request.action !== 'post' ||
        (message === '' && link === undefined) ||
        (scheduled !== undefined && typeof scheduled !== 'number')
      ) {
        throw new ConnectorError({
          platform: 'facebook',
          code: 'invalid_request',
          message: `${request.action} needs a message or link and a numeric scheduled_publish_time`,
        });
      }
      const response = await client.request({
        method: 'POST',
        path: `/${version}/${pageId}/feed`,
        idempotent: false,
        schema: FeedPostResponse,
        ...(request.signal ? { signal: request.signal } : {}),
        form: {
          message:
            message === '' ? facebookMarker(request) : `${message}\n\n${facebookMarker(request)}`,
          ...(link === undefined ? {} : { link }),
          ...(scheduled === undefined
            ? {}
            : { published: 'false', scheduled_publish_time: String(scheduled) }),
        },
      });
      return resultOf(response.data.id);
    },
    async reconcile(request: ActionRequest): Promise<Reconciliation> {
      const marker = facebookMarker(request);
      // A scheduled post sits in `scheduled_posts` until its time, then in the feed.
      const edges =
        request.options.scheduled_publish_time === undefined
          ? ['feed']
          : ['scheduled_posts', 'feed'];
      for (const edge of edges) {
        const answer = await findIn(edge, marker, request.signal);
        if (answer.status !== 'not_found') return answer;
      }
      return { status: 'not_found' };
    },
    async fetchMetrics(query: MetricsRequest): Promise<readonly MetricsRow[]> {
      const rows: MetricsRow[] = [];
      if (query.entities !== undefined) {
        // Post insights are lifetime totals as of the call: dated today in the Page's zone.
        const date = pacificDay.format(deps.clock.now());
        for (const postId of query.entities) {
          const data = await insights(
            postId,
            { metric: FACEBOOK_POST_METRICS.join(','), period: 'lifetime' },
            query.signal,
          );
          const metrics: Record<string, number> = {};
          for (const metric of data.data) {
            const value = metric.values[0]?.value;
            if (typeof value === 'number') metrics[metric.name] = value;
          }
          rows.push({ date, entity: postId, metrics, timeZone: REPORTING_ZONE });
        }
        return rows;
      }
      const byDate = new Map<string, Record<string, number>>();
      const last = Date.parse(`${query.to}T00:00:00Z`) + DAY_MS;
      for (
        let since = Date.parse(`${query.from}T00:00:00Z`);
        since < last;
        since += MAX_RANGE_DAYS * DAY_MS
      ) {
        const until = Math.min(since + MAX_RANGE_DAYS * DAY_MS, last);
        const data = await insights(
          pageId,
          {
            metric: FACEBOOK_PAGE_METRICS.join(','),
            period: 'day',
            since: new Date(since).toISOString().slice(0, 10),
            until: new Date(until).toISOString().slice(0, 10),
          },
          query.signal,
        );
        for (const metric of data.data) {
          for (const { value, end_time: endTime } of metric.values) {
            // The value is labelled by the end of its day: the day is the one before end_time.
            if (typeof value !== 'number' || endTime === undefined) continue;
            const date = pacificDay.format(Date.parse(endTime) - 1);
            byDate.set(date, { ...byDate.get(date), [metric.name]: value });
          }
        }
      }
      for (const [date, metrics] of byDate) {
        rows.push({ date, entity: pageId, metrics, timeZone: REPORTING_ZONE });
      }
      return rows;
    },
    health: (): ConnectorHealth => client.health(),
  };
}
