/**
 * @module
 * WordPress REST API (`wp/v2`): publishes and schedules posts with an Application Password
 * (contract: wordpress.md).
 *
 * Exactly-once: WordPress has no idempotency keys and a retried create makes a second post
 * (contract §8). Every post carries a slug ending in a hash of the idempotency key, so
 * `reconcile` looks the post up by that slug, across every status, before anything is re-sent.
 * Core WordPress reports no metrics (contract §7): this connector has no `fetchMetrics`.
 */
import { createHash } from 'node:crypto';
import { ConfigurationError } from '../../errors.js';
import { basicAuth } from '../auth-strategy.js';
import type {
  ActionRequest,
  ActionResult,
  Connector,
  ConnectorHealth,
  Reconciliation,
} from '../connector.js';
import { readSettings } from '../connector-credentials.js';
import { clientOptions, type ConnectorDeps } from '../connector-deps.js';
import { ConnectorError, type ConnectorErrorCode } from '../connector-error.js';
import { HttpClient } from '../http-client.js';
import type { RateQuota } from '../quota-limiter.js';
import type { RawResponse, ResponseFailure } from '../raw-response.js';
import { WordPressErrorBody, WordPressPost, WordPressPostList } from './wordpress-schemas.js';

/**
 * Requests per rolling minute Herald allows itself. Core WordPress has no rate limit
 * (contract §4) but a site has few PHP workers and hosts throttle: one per second is the
 * safer choice.
 */
export const WORDPRESS_QUOTA: RateQuota = { limit: 60, windowMs: 60_000 };

/** Statuses a post Herald created may be in; `reconcile` searches all of them. */
const POST_STATUSES = 'publish,future,draft,pending,private';
const REQUESTED_STATUSES = new Set(['publish', 'future', 'draft', 'pending', 'private']);

/** Maps a WP_Error response (or a host's HTML error page) to a failure (contract §5). */
export function interpretWordPress(response: RawResponse): ResponseFailure | undefined {
  if (response.status < 300) return undefined;
  const parsed = WordPressErrorBody.safeParse(response.body);
  if (!parsed.success) return { code: wordPressCode(response.status, undefined) };
  return {
    code: wordPressCode(response.status, parsed.data.code),
    platformCode: parsed.data.code,
    platformMessage: parsed.data.message,
  };
}

function wordPressCode(status: number, code: string | undefined): ConnectorErrorCode {
  // `wp/v2` has no minor versions: its routes vanishing means the namespace was retired.
  if (code === 'rest_no_route') return 'version_sunset';
  // Answered with 501, yet retrying cannot help: the site must enable Application Passwords.
  if (code?.startsWith('application_passwords_disabled')) return 'permission_denied';
  if (status === 401) return 'auth_expired';
  if (status === 403) return 'permission_denied';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'transient';
  return 'invalid_request';
}

/** The slug of the post `request` creates: readable title words, then a hash of its key. */
export function wordPressSlug(request: ActionRequest): string {
  const marker = createHash('sha256').update(request.idempotencyKey).digest('hex').slice(0, 12);
  const words = (request.content.title ?? request.content.subject ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return `${words === '' ? 'herald' : words}-${marker}`;
}

const outputsOf = (post: WordPressPost): ActionResult => ({
  externalId: String(post.id),
  outputs: { url: post.link, postId: String(post.id), status: post.status },
  accepted: 1,
});

/**
 * Builds the WordPress connector. Settings: `siteUrl` (`WORDPRESS_SITE_URL`, e.g.
 * `https://blog.example.com`), `username` (`WORDPRESS_USERNAME`) and `appPassword`
 * (`WORDPRESS_APP_PASSWORD`). Step options: `status` (`publish` default, `future`, `draft`,
 * `pending`, `private`) and `date_gmt` (UTC, `YYYY-MM-DDTHH:mm:ss`) to schedule.
 * @example
 * const wordpress = createWordPressConnector({ env: process.env, clock: systemClock, limiter });
 */
export function createWordPressConnector(deps: ConnectorDeps): Connector {
  const settings = readSettings(
    'wordpress',
    [
      { key: 'username', env: 'WORDPRESS_USERNAME' },
      { key: 'appPassword', env: 'WORDPRESS_APP_PASSWORD' },
      { key: 'siteUrl', env: 'WORDPRESS_SITE_URL', required: false },
    ],
    deps,
  );
  const siteUrl = deps.baseUrl ?? settings.siteUrl;
  if (siteUrl === undefined) {
    throw new ConfigurationError(
      'missing_credential',
      'wordpress: set WORDPRESS_SITE_URL (or config.wordpress.siteUrl) before starting',
    );
  }
  const baseUrl = siteUrl.replace(/\/+$/, '');
  const client = new HttpClient({
    platform: 'wordpress',
    baseUrl,
    apiVersion: 'wp/v2',
    successorVersion: 'the namespace listed at /wp-json/',
    // Application Passwords are shown in groups of four; the spaces are not part of them.
    auth: basicAuth({
      username: settings.username!,
      password: settings.appPassword!.replace(/\s+/g, ''),
    }),
    clock: deps.clock,
    limiter: deps.limiter,
    quota: WORDPRESS_QUOTA,
    account: new URL(baseUrl).host,
    interpret: interpretWordPress,
    ...clientOptions(deps),
  });

  return {
    platform: 'wordpress',
    capabilities: ['publish'],
    maxBatchSize: 1,
    async perform(request: ActionRequest): Promise<ActionResult> {
      const { title, subject, html, text } = request.content;
      const body = html ?? text;
      const status = request.options.status ?? 'publish';
      const dateGmt = request.options.date_gmt;
      if (
        request.action !== 'publish' ||
        (body === undefined && title === undefined && subject === undefined) ||
        typeof status !== 'string' ||
        !REQUESTED_STATUSES.has(status) ||
        (dateGmt !== undefined && typeof dateGmt !== 'string')
      ) {
        throw new ConnectorError({
          platform: 'wordpress',
          code: 'invalid_request',
          message: `${request.action} needs a title or body, a status among ${POST_STATUSES} and a string date_gmt`,
        });
      }
      const response = await client.request({
        method: 'POST',
        path: '/wp-json/wp/v2/posts',
        lane: 'posts',
        idempotent: false,
        schema: WordPressPost,
        ...(request.signal ? { signal: request.signal } : {}),
        body: {
          title: title ?? subject ?? '',
          content: body ?? '',
          status,
          slug: wordPressSlug(request),
          ...(dateGmt === undefined ? {} : { date_gmt: dateGmt }),
        },
      });
      // WordPress turns `publish` with a future date into `future` and back (contract §3.1):
      // the status returned is the one that holds.
      return outputsOf(response.data);
    },
    async reconcile(request: ActionRequest): Promise<Reconciliation> {
      const response = await client.request({
        method: 'GET',
        path: '/wp-json/wp/v2/posts',
        lane: 'posts',
        idempotent: true,
        schema: WordPressPostList,
        ...(request.signal ? { signal: request.signal } : {}),
        query: { slug: wordPressSlug(request), status: POST_STATUSES, context: 'edit' },
      });
      const [post] = response.data;
      return post ? { status: 'done', result: outputsOf(post) } : { status: 'not_found' };
    },
    health: (): ConnectorHealth => client.health(),
  };
}
