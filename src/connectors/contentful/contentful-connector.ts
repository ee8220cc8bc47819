/**
 * @module
 * Contentful Content Management API (contract: contentful.md): creates an entry under an id
 * chosen from the idempotency key, then publishes it with `X-Contentful-Version`.
 *
 * Exactly-once: the entry id is `herald-<hash of the idempotency key>` and is created with
 * `PUT` (contract §8), so a repeated create conflicts instead of duplicating, and `perform`
 * resumes from the entry it finds. `reconcile` reads the entry: published is `done`; missing
 * or still a draft is `not_found`, and performing again finishes it without a second entry.
 * Contentful reports no metrics (contract §7).
 */
import { createHash } from 'node:crypto';
import { apiKeyAuth } from '../auth-strategy.js';
import type {
  ActionRequest,
  ActionResult,
  Connector,
  ConnectorHealth,
  Reconciliation,
} from '../connector.js';
import { readSettings } from '../connector-credentials.js';
import { clientOptions, type ConnectorDeps } from '../connector-deps.js';
import { ConnectorError, isConnectorError, type ConnectorErrorCode } from '../connector-error.js';
import { HttpClient } from '../http-client.js';
import type { RateQuota } from '../quota-limiter.js';
import type { RawResponse, ResponseFailure } from '../raw-response.js';
import { ContentfulEntry, ContentfulErrorBody } from './contentful-schemas.js';

/** The default CMA limit: 7 requests per second (contract §4). */
export const CONTENTFUL_QUOTA: RateQuota = { limit: 7, windowMs: 1000 };
const MEDIA_TYPE = 'application/vnd.contentful.management.v1+json';

const CODES: Readonly<Record<string, ConnectorErrorCode>> = {
  AccessTokenInvalid: 'auth_expired',
  AccessDenied: 'permission_denied',
  NotFound: 'not_found',
  VersionMismatch: 'conflict',
  RateLimitExceeded: 'rate_limited',
  ServerError: 'transient',
  Hibernated: 'transient',
  // The v1 media type has no documented successor or retirement answer (unconfirmed): an
  // unsupported media type is read as the version being retired.
  UnsupportedMediaType: 'version_sunset',
};

/** Maps a CMA response to a failure (contract §5); unlisted error ids are `invalid_request`. */
export function interpretContentful(response: RawResponse): ResponseFailure | undefined {
  if (response.status < 300) return undefined;
  const parsed = ContentfulErrorBody.safeParse(response.body);
  if (!parsed.success) return { code: response.status >= 500 ? 'transient' : 'invalid_request' };
  const id = parsed.data.sys.id;
  return {
    code: CODES[id] ?? (response.status >= 500 ? 'transient' : 'invalid_request'),
    platformCode: id,
    ...(parsed.data.message === undefined ? {} : { platformMessage: parsed.data.message }),
    // A hibernated space wakes on this request; nothing was written.
    mayHaveCommitted: response.status >= 500 && id !== 'Hibernated' && response.status !== 503,
  };
}

/** The entry id `request` creates: within Contentful's `[a-zA-Z0-9-_.]{1,64}`. */
export function contentfulEntryId(request: ActionRequest): string {
  return `herald-${createHash('sha256').update(request.idempotencyKey).digest('hex').slice(0, 24)}`;
}

/**
 * `fetch` that sends Contentful's media type, the given headers and, on a 429, a
 * `Retry-After` copied from `X-Contentful-RateLimit-Reset` (seconds), which the client honours.
 */
function contentfulFetch(
  base: () => typeof fetch,
  headers: Record<string, string> = {},
): typeof fetch {
  return async (input, init) => {
    const merged = new Headers(init?.headers);
    for (const [name, value] of Object.entries(headers)) merged.set(name, value);
    if (init?.body !== undefined) merged.set('content-type', MEDIA_TYPE);
    const response = await base()(input, { ...init, headers: merged });
    const reset = response.headers.get('x-contentful-ratelimit-reset');
    if (response.status !== 429 || reset === null) return response;
    const out = new Headers(response.headers);
    out.set('retry-after', reset);
    return new Response(response.body, { status: response.status, headers: out });
  };
}

/**
 * Builds the Contentful connector. Settings: `managementToken` (`CONTENTFUL_MANAGEMENT_TOKEN`),
 * `spaceId` (`CONTENTFUL_SPACE_ID`), `urlTemplate` (`CONTENTFUL_URL_TEMPLATE`, the public URL
 * of a published entry with `{id}` and/or `{slug}`, e.g. `https://acme.com/blog/{slug}`),
 * optional `environment` (`CONTENTFUL_ENVIRONMENT`, default `master`), `contentType`
 * (`CONTENTFUL_CONTENT_TYPE`, default `blogPost`), `locale` (`CONTENTFUL_LOCALE`, default
 * `en-US`) and `baseUrl` (`CONTENTFUL_BASE_URL`, e.g. `https://api.eu.contentful.com`). The
 * entry gets `title` and `body` (and `slug` when the template uses it).
 * @example
 * const contentful = createContentfulConnector({ env: process.env, clock: systemClock, limiter });
 */
export function createContentfulConnector(deps: ConnectorDeps): Connector {
  const settings = readSettings(
    'contentful',
    [
      { key: 'managementToken', env: 'CONTENTFUL_MANAGEMENT_TOKEN' },
      { key: 'spaceId', env: 'CONTENTFUL_SPACE_ID' },
      { key: 'urlTemplate', env: 'CONTENTFUL_URL_TEMPLATE' },
      { key: 'environment', env: 'CONTENTFUL_ENVIRONMENT', required: false },
      { key: 'contentType', env: 'CONTENTFUL_CONTENT_TYPE', required: false },
      { key: 'locale', env: 'CONTENTFUL_LOCALE', required: false },
      { key: 'baseUrl', env: 'CONTENTFUL_BASE_URL', required: false },
    ],
    deps,
  );
  const locale = settings.locale ?? 'en-US';
  const contentType = settings.contentType ?? 'blogPost';
  const template = settings.urlTemplate!;
  const entries = `/spaces/${settings.spaceId!}/environments/${settings.environment ?? 'master'}/entries`;
  const base = (): typeof fetch => deps.fetch ?? globalThis.fetch;
  const client = new HttpClient({
    platform: 'contentful',
    baseUrl: deps.baseUrl ?? settings.baseUrl ?? 'https://api.contentful.com',
    apiVersion: MEDIA_TYPE,
    successorVersion: "the media type named in Contentful's API changes",
    auth: apiKeyAuth({ key: settings.managementToken! }),
    clock: deps.clock,
    limiter: deps.limiter,
    quota: CONTENTFUL_QUOTA,
    account: settings.spaceId!,
    interpret: interpretContentful,
    ...clientOptions(deps),
    fetch: contentfulFetch(base),
  });
  const read = async (id: string, signal: AbortSignal | undefined) =>
    (
      await client.request({
        method: 'GET',
        path: `${entries}/${id}`,
        idempotent: true,
        schema: ContentfulEntry,
        ...(signal ? { signal } : {}),
      })
    ).data;
  const resultOf = (entry: ContentfulEntry): ActionResult => {
    const slug = (entry.fields.slug as Record<string, unknown> | undefined)?.[locale];
    return {
      externalId: entry.sys.id,
      outputs: {
        url: template.replaceAll('{id}', entry.sys.id).replaceAll('{slug}', String(slug)),
        entryId: entry.sys.id,
      },
      accepted: 1,
    };
  };

  return {
    platform: 'contentful',
    capabilities: ['publish'],
    maxBatchSize: 1,
    async perform(request: ActionRequest): Promise<ActionResult> {
      const title = request.content.title ?? request.content.subject;
      const body = request.content.html ?? request.content.text;
      if (request.action !== 'publish' || title === undefined || title === '') {
        throw new ConnectorError({
          platform: 'contentful',
          code: 'invalid_request',
          message: `${request.action} needs a title; Contentful publishes entries`,
        });
      }
      const id = contentfulEntryId(request);
      const signal = request.signal ? { signal: request.signal } : {};
      const slug = `${title
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '')
        .slice(0, 60)}-${id.slice(7, 15)}`;
      let entry: ContentfulEntry;
      try {
        entry = (
          await client.request({
            method: 'PUT',
            path: `${entries}/${id}`,
            // A repeated create with the same id conflicts instead of creating a second entry.
            idempotent: true,
            schema: ContentfulEntry,
            fetch: contentfulFetch(base, { 'x-contentful-content-type': contentType }),
            body: {
              fields: {
                title: { [locale]: title },
                ...(body === undefined ? {} : { body: { [locale]: body } }),
                ...(template.includes('{slug}') ? { slug: { [locale]: slug } } : {}),
              },
            },
            ...signal,
          })
        ).data;
      } catch (error) {
        if (!isConnectorError(error) || error.code !== 'conflict') throw error;
        // The entry exists from an earlier attempt: finish that one.
        entry = await read(id, request.signal);
        if (entry.sys.publishedVersion !== undefined) return resultOf(entry);
      }
      const published = await client.request({
        method: 'PUT',
        path: `${entries}/${id}/published`,
        idempotent: false,
        schema: ContentfulEntry,
        fetch: contentfulFetch(base, { 'x-contentful-version': String(entry.sys.version) }),
        ...signal,
      });
      return resultOf(published.data);
    },
    async reconcile(request: ActionRequest): Promise<Reconciliation> {
      try {
        const entry = await read(contentfulEntryId(request), request.signal);
        return entry.sys.publishedVersion === undefined
          ? { status: 'not_found' }
          : { status: 'done', result: resultOf(entry) };
      } catch (error) {
        if (isConnectorError(error) && error.code === 'not_found') return { status: 'not_found' };
        throw error;
      }
    },
    health: (): ConnectorHealth => client.health(),
  };
}
