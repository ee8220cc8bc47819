/**
 * @module
 * LinkedIn Posts API and organisation share statistics (contract: linkedin.md), versioned with
 * `LinkedIn-Version` and Rest.li protocol 2.0.0, with a 60-day bearer token optionally
 * refreshed through `POST /oauth/v2/accessToken` (approved partners only).
 *
 * Exactly-once: LinkedIn documents no idempotency key (contract §8). Every post's commentary
 * ends with `ref:<hash of the idempotency key>`, so `reconcile` pages through the author's
 * latest posts for it and answers `unknown` past its page budget.
 */
import { createHash } from 'node:crypto';
import { apiKeyAuth, oauth2Auth, type AuthStrategy } from '../auth-strategy.js';
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
import { validateResponse } from '../response-validation.js';
import {
  CreatedBody,
  LinkedInErrorBody,
  LinkedInTokenResponse,
  PostsByAuthor,
  PostUrn,
  ShareStatistics,
} from './linkedin-schemas.js';

/**
 * Posts per member per day. LinkedIn does not publish its daily limits (contract §4); 150 is
 * the commonly cited member posting limit (unconfirmed), and a rolling 24 h window is stricter
 * than LinkedIn's midnight-UTC reset: the safer choice.
 */
export const LINKEDIN_POST_QUOTA: RateQuota = { limit: 150, windowMs: 86_400_000 };
/** Reads (post look-ups, statistics) per member per day; unpublished, chosen conservatively. */
export const LINKEDIN_READ_QUOTA: RateQuota = { limit: 500, windowMs: 86_400_000 };

/** Marketing version pinned by default; 202603 is supported until 2027-03-16 (contract §1). */
export const LINKEDIN_DEFAULT_VERSION = '202603';
/** Pages of the author's posts `reconcile` reads before it answers `unknown`. */
const MAX_POST_PAGES = 4;
const POSTS_PAGE_SIZE = 50;
const STATS_PAGE_SIZE = 100;
/** Characters "little" text reserves; they must be escaped with a backslash (contract §3.1). */
const RESERVED = /[\\|{}@[\]()<>#*_~]/g;

/** Maps a LinkedIn response to a failure (contract §5). */
export function interpretLinkedIn(response: RawResponse): ResponseFailure | undefined {
  if (response.status < 300) return undefined;
  const parsed = LinkedInErrorBody.safeParse(response.body);
  const body = parsed.success ? parsed.data : {};
  const platformCode = body.code ?? body.error;
  const platformMessage = body.message ?? body.error_description;
  return {
    code: linkedInCode(response.status, platformCode),
    ...(platformCode === undefined ? {} : { platformCode }),
    ...(platformMessage === undefined ? {} : { platformMessage }),
  };
}

function linkedInCode(status: number, code: string | undefined): ConnectorErrorCode {
  if (status === 426 || code === 'NONEXISTENT_VERSION') return 'version_sunset';
  if (status === 401) return 'auth_expired';
  if (status === 403) return 'permission_denied';
  if (status === 404 || status === 410) return 'not_found';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'transient';
  return 'invalid_request';
}

/** The reference that ends the commentary of the post `request` creates. */
export function linkedInMarker(request: ActionRequest): string {
  return `ref:${createHash('sha256').update(request.idempotencyKey).digest('hex').slice(0, 12)}`;
}

const resultOf = (urn: string): ActionResult => ({
  externalId: urn,
  outputs: { url: `https://www.linkedin.com/feed/update/${urn}/`, postId: urn },
  accepted: 1,
});

/**
 * Builds the LinkedIn connector. Settings: `accessToken` (`LINKEDIN_ACCESS_TOKEN`), `author`
 * (`LINKEDIN_AUTHOR_URN`, `urn:li:organization:…` or `urn:li:person:…`), optional `version`
 * (`LINKEDIN_VERSION`, default 202603) and `baseUrl`; for refresh `refreshToken`, `clientId`,
 * `clientSecret` (`LINKEDIN_REFRESH_TOKEN`, `LINKEDIN_CLIENT_ID`, `LINKEDIN_CLIENT_SECRET`).
 * Step option `visibility`: `PUBLIC` (default) or `CONNECTIONS`.
 * @example
 * const linkedin = createLinkedInConnector({ env: process.env, clock: systemClock, limiter });
 */
export function createLinkedInConnector(deps: ConnectorDeps): Connector {
  const settings = readSettings(
    'linkedin',
    [
      { key: 'accessToken', env: 'LINKEDIN_ACCESS_TOKEN' },
      { key: 'author', env: 'LINKEDIN_AUTHOR_URN' },
      { key: 'version', env: 'LINKEDIN_VERSION', required: false },
      { key: 'refreshToken', env: 'LINKEDIN_REFRESH_TOKEN', required: false },
      { key: 'baseUrl', env: 'LINKEDIN_BASE_URL', required: false },
    ],
    deps,
  );
  const rotation =
    settings.refreshToken === undefined
      ? undefined
      : readSettings(
          'linkedin',
          [
            { key: 'clientId', env: 'LINKEDIN_CLIENT_ID' },
            { key: 'clientSecret', env: 'LINKEDIN_CLIENT_SECRET' },
          ],
          deps,
        );
  const author = settings.author!;
  const version = settings.version ?? LINKEDIN_DEFAULT_VERSION;
  const apiBase = deps.baseUrl ?? settings.baseUrl ?? 'https://api.linkedin.com';
  const oauthBase = deps.baseUrl ?? settings.baseUrl ?? 'https://www.linkedin.com';

  const refresh = async (refreshToken: string, signal?: AbortSignal) => {
    const response = await client.request({
      method: 'POST',
      path: `${oauthBase}/oauth/v2/accessToken`,
      lane: 'oauth',
      idempotent: true,
      authenticate: false,
      schema: LinkedInTokenResponse,
      ...(signal ? { signal } : {}),
      form: {
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: rotation!.clientId!,
        client_secret: rotation!.clientSecret!,
      },
    });
    // LinkedIn refresh tokens keep their 365-day life and may come back unchanged.
    const next = response.data.refresh_token ?? refreshToken;
    return { accessToken: response.data.access_token, refreshToken: next };
  };
  const bearer: AuthStrategy = rotation
    ? oauth2Auth({
        tokens: { accessToken: settings.accessToken!, refreshToken: settings.refreshToken! },
        refresh,
        clientSecret: rotation.clientSecret!,
      })
    : apiKeyAuth({ key: settings.accessToken! });
  const auth: AuthStrategy = {
    ...bearer,
    authorize: async (request, signal) => {
      const token = await bearer.authorize(request, signal);
      request.headers['linkedin-version'] = version;
      request.headers['x-restli-protocol-version'] = '2.0.0';
      return token;
    },
  };
  const client: HttpClient = new HttpClient({
    platform: 'linkedin',
    baseUrl: apiBase,
    apiVersion: version,
    successorVersion: 'a LinkedIn-Version listed as active in the Marketing API migrations table',
    auth,
    clock: deps.clock,
    limiter: deps.limiter,
    quota: LINKEDIN_READ_QUOTA,
    account: author,
    interpret: interpretLinkedIn,
    ...clientOptions(deps),
  });

  return {
    platform: 'linkedin',
    capabilities: ['publish', 'fetch_metrics'],
    maxBatchSize: 1,
    async perform(request: ActionRequest): Promise<ActionResult> {
      const text = [request.content.title, request.content.text, request.content.link]
        .filter((part) => part !== undefined && part !== '')
        .join('\n\n');
      const visibility = request.options.visibility ?? 'PUBLIC';
      if (
        request.action !== 'post' ||
        text === '' ||
        (visibility !== 'PUBLIC' && visibility !== 'CONNECTIONS')
      ) {
        throw new ConnectorError({
          platform: 'linkedin',
          code: 'invalid_request',
          message: `${request.action} needs text and visibility PUBLIC or CONNECTIONS; LinkedIn posts text`,
        });
      }
      const response = await client.request({
        method: 'POST',
        path: '/rest/posts',
        lane: 'posts.create',
        quota: LINKEDIN_POST_QUOTA,
        idempotent: false,
        schema: CreatedBody,
        ...(request.signal ? { signal: request.signal } : {}),
        body: {
          author,
          commentary: `${text.replace(RESERVED, (c) => `\\${c}`)}\n\n${linkedInMarker(request)}`,
          visibility,
          distribution: {
            feedDistribution: 'MAIN_FEED',
            targetEntities: [],
            thirdPartyDistributionChannels: [],
          },
          lifecycleState: 'PUBLISHED',
          isReshareDisabledByAuthor: false,
        },
      });
      const urn = validateResponse(
        'linkedin',
        '/rest/posts',
        PostUrn,
        response.headers.get('x-restli-id') ?? undefined,
      );
      return resultOf(urn);
    },
    async reconcile(request: ActionRequest): Promise<Reconciliation> {
      const marker = linkedInMarker(request);
      for (let page = 0; page < MAX_POST_PAGES; page++) {
        const response = await client.request({
          method: 'GET',
          path: `/rest/posts?q=author&author=${encodeURIComponent(author)}&count=${POSTS_PAGE_SIZE}&start=${page * POSTS_PAGE_SIZE}`,
          lane: 'posts.read',
          idempotent: true,
          schema: PostsByAuthor,
          ...(request.signal ? { signal: request.signal } : {}),
        });
        const found = response.data.elements.find((post) => post.commentary?.endsWith(marker));
        if (found) return { status: 'done', result: resultOf(found.id) };
        if (response.data.elements.length < POSTS_PAGE_SIZE) return { status: 'not_found' };
      }
      return {
        status: 'unknown',
        reason: `not among the author's latest ${MAX_POST_PAGES * POSTS_PAGE_SIZE} posts`,
      };
    },
    async fetchMetrics(query: MetricsRequest): Promise<readonly MetricsRow[]> {
      const start = Date.parse(`${query.from}T00:00:00Z`);
      const end = Date.parse(`${query.to}T00:00:00Z`) + 86_400_000;
      const entities = query.entities ?? [];
      const list = (kind: string): string => {
        const urns = entities.filter((urn) => urn.startsWith(`urn:li:${kind}:`));
        return urns.length === 0 ? '' : `&${kind}s=List(${urns.map(encodeURIComponent).join(',')})`;
      };
      const rows: MetricsRow[] = [];
      for (let offset = 0; ; offset += STATS_PAGE_SIZE) {
        // Rest.li 2.0 tuples: the structure stays literal, the URNs inside are encoded.
        const path =
          `/rest/organizationalEntityShareStatistics?q=organizationalEntity` +
          `&organizationalEntity=${encodeURIComponent(author)}${list('share')}${list('ugcPost')}` +
          `&timeIntervals=(timeRange:(start:${start},end:${end}),timeGranularityType:DAY)` +
          `&start=${offset}&count=${STATS_PAGE_SIZE}`;
        const page = await client.request({
          method: 'GET',
          path,
          lane: 'statistics',
          idempotent: true,
          schema: ShareStatistics,
          ...(query.signal ? { signal: query.signal } : {}),
        });
        for (const element of page.data.elements) {
          rows.push({
            date: new Date(element.timeRange.start).toISOString().slice(0, 10),
            entity: element.share ?? element.ugcPost ?? element.organizationalEntity,
            metrics: numbers(element.totalShareStatistics),
            timeZone: 'UTC',
          });
        }
        if (page.data.elements.length < STATS_PAGE_SIZE) return rows;
      }
    },
    health: (): ConnectorHealth => client.health(),
  };
}

/** The statistics LinkedIn reported, as it reported them: counts, and `engagement` as a ratio. */
function numbers(stats: Readonly<Record<string, unknown>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, value] of Object.entries(stats))
    if (typeof value === 'number') out[name] = value;
  return out;
}
