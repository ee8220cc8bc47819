/**
 * @module
 * Fake Contentful Content Management API (contract: docs/platforms/contentful.md):
 * entries created with `POST …/entries` or `PUT …/entries/{id}` (`X-Contentful-Content-Type`
 * required, client ids `[a-zA-Z0-9-_.]{1,64}`), read with `GET`, updated and published with
 * `X-Contentful-Version` (409 `VersionMismatch` when missing or stale; publishing adds one to
 * `sys.version`), 422 `ValidationFailed` when a required field is missing at publish, the
 * `{ sys: { type: "Error", id }, message }` envelope, and 7 requests per second per token with
 * `X-Contentful-RateLimit-*` headers.
 *
 * Sandbox conventions: tokens start with `CFPAT-`; a token containing `readonly` may only
 * read. The content types are `blogPost` (`title` required, `body`, `slug`) and `page`.
 */
import type {
  PlatformSandbox,
  QuotaLane,
  ReceivedRequest,
  SandboxContext,
  SandboxResponse,
} from '../sandbox-types.js';

/** 7 requests per second per token (the default CMA limit). */
export const CONTENTFUL_SANDBOX_QUOTA = { limit: 7, windowMs: 1000 } as const;

const MEDIA_TYPE = 'application/vnd.contentful.management.v1+json';
const CONTENT_TYPES: Readonly<Record<string, readonly string[]>> = {
  blogPost: ['title', 'body', 'slug'],
  page: ['title', 'body'],
};

interface Entry {
  readonly id: string;
  readonly space: string;
  readonly environment: string;
  readonly contentType: string;
  fields: Record<string, unknown>;
  version: number;
  publishedVersion?: number;
  readonly createdAt: number;
  updatedAt: number;
  publishedAt?: number;
}

function cfError(status: number, id: string, message: string, details?: unknown): SandboxResponse {
  return {
    status,
    body: {
      sys: { type: 'Error', id },
      message,
      ...(details ? { details } : {}),
      requestId: `sandbox-${id}`,
    },
  };
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** Builds the fake Contentful CMA. */
export function createContentfulSandbox(context: SandboxContext): PlatformSandbox {
  const entries = new Map<string, Entry>();

  const view = (entry: Entry) => ({
    metadata: { tags: [] },
    sys: {
      id: entry.id,
      type: 'Entry',
      version: entry.version,
      createdAt: iso(entry.createdAt),
      updatedAt: iso(entry.updatedAt),
      ...(entry.publishedVersion === undefined
        ? {}
        : {
            publishedVersion: entry.publishedVersion,
            publishedAt: iso(entry.publishedAt!),
            publishedCounter: 1,
          }),
      contentType: { sys: { type: 'Link', linkType: 'ContentType', id: entry.contentType } },
      space: { sys: { type: 'Link', linkType: 'Space', id: entry.space } },
      environment: { sys: { type: 'Link', linkType: 'Environment', id: entry.environment } },
    },
    fields: entry.fields,
  });

  const create = (
    request: ReceivedRequest,
    space: string,
    environment: string,
    id: string,
  ): SandboxResponse => {
    const contentType = request.headers['x-contentful-content-type'];
    if (typeof contentType !== 'string')
      return cfError(
        400,
        'BadRequest',
        'X-Contentful-Content-Type header is required to create an entry',
      );
    const allowed = CONTENT_TYPES[contentType];
    if (!allowed)
      return cfError(422, 'ValidationFailed', `Content type ${contentType} does not exist`);
    if (!/^[a-zA-Z0-9-_.]{1,64}$/.test(id))
      return cfError(400, 'BadRequest', `Invalid entry id ${id}`);
    const fields = (request.body as { fields?: Record<string, unknown> } | undefined)?.fields ?? {};
    const unknown = Object.keys(fields).find((name) => !allowed.includes(name));
    if (unknown)
      return cfError(422, 'InvalidEntry', 'Validation error', {
        errors: [
          { name: 'unknown', path: ['fields', unknown], details: 'The property is not allowed' },
        ],
      });
    const now = context.clock.now();
    const entry: Entry = {
      id,
      space,
      environment,
      contentType,
      fields,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    entries.set(`${space}/${environment}/${id}`, entry);
    return { status: 201, body: view(entry) };
  };

  const publish = (request: ReceivedRequest, entry: Entry): SandboxResponse => {
    if (request.headers['x-contentful-version'] !== String(entry.version))
      return cfError(
        409,
        'VersionMismatch',
        'Version mismatch error. The version you specified was incorrect.',
      );
    if (!entry.fields.title)
      return cfError(422, 'ValidationFailed', 'Validation error', {
        errors: [
          {
            name: 'required',
            path: ['fields', 'title'],
            details: 'The property "title" is required here',
          },
        ],
      });
    entry.publishedVersion = entry.version;
    entry.version += 1;
    entry.publishedAt = entry.updatedAt = context.clock.now();
    context.deliver({
      recipient: `${entry.space}/${entry.environment}`,
      messageId: entry.id,
      key: entry.id,
    });
    return { status: 200, body: view(entry) };
  };

  return {
    platform: 'contentful',
    lane(request: ReceivedRequest): QuotaLane | undefined {
      return { key: request.headers.authorization ?? '', ...CONTENTFUL_SANDBOX_QUOTA };
    },
    handle(request: ReceivedRequest): SandboxResponse {
      const token = (request.headers.authorization ?? '').replace(/^Bearer /, '');
      if (!token.startsWith('CFPAT-'))
        return cfError(
          401,
          'AccessTokenInvalid',
          'The access token you sent could not be found or is invalid.',
        );
      const match =
        /^\/spaces\/([^/]+)\/environments\/([^/]+)\/entries(?:\/([^/]+))?(\/published)?$/.exec(
          request.path,
        );
      if (!match) return cfError(404, 'NotFound', 'The resource could not be found.');
      const [, space = '', environment = '', id, published] = match;
      if (request.method !== 'GET' && token.includes('readonly'))
        return cfError(403, 'AccessDenied', 'Forbidden: your role does not allow this action');
      const contentTypeHeader = request.headers['content-type'] ?? '';
      if (
        request.body !== undefined &&
        !contentTypeHeader.startsWith(MEDIA_TYPE) &&
        !contentTypeHeader.startsWith('application/json')
      )
        return cfError(415, 'UnsupportedMediaType', `Unsupported media type ${contentTypeHeader}`);
      if (id === undefined) {
        if (request.method === 'POST')
          return create(
            request,
            space,
            environment,
            Array.from({ length: 22 }, () => Math.floor(context.random() * 36).toString(36)).join(
              '',
            ),
          );
        return cfError(400, 'BadRequest', 'Use POST to create an entry');
      }
      const entry = entries.get(`${space}/${environment}/${id}`);
      if (request.method === 'PUT' && !published && !entry)
        return create(request, space, environment, id);
      if (!entry)
        return cfError(404, 'NotFound', 'The resource could not be found.', { type: 'Entry', id });
      if (request.method === 'GET' && !published) return { status: 200, body: view(entry) };
      if (request.method === 'PUT' && published) return publish(request, entry);
      if (request.method === 'PUT') {
        if (request.headers['x-contentful-version'] !== String(entry.version))
          return cfError(
            409,
            'VersionMismatch',
            'Version mismatch error. The version you specified was incorrect.',
          );
        entry.fields =
          (request.body as { fields?: Record<string, unknown> } | undefined)?.fields ?? {};
        entry.version += 1;
        entry.updatedAt = context.clock.now();
        return { status: 200, body: view(entry) };
      }
      return cfError(400, 'BadRequest', `${request.method} is not supported here`);
    },
    rateLimited: (retryAfterSeconds) => ({
      ...cfError(
        429,
        'RateLimitExceeded',
        'You have exceeded the rate limit of the Organization this Space belongs to.',
      ),
      headers: { 'x-contentful-ratelimit-reset': String(retryAfterSeconds) },
    }),
    serverError: (status) =>
      status === 502
        ? cfError(502, 'Hibernated', 'The space is hibernated; retry the request to wake it.')
        : cfError(status, 'ServerError', 'Internal server error'),
    expiredToken: () =>
      cfError(
        401,
        'AccessTokenInvalid',
        'The access token you sent could not be found or is invalid.',
      ),
    versionSunset: () =>
      cfError(415, 'UnsupportedMediaType', `${MEDIA_TYPE} is no longer supported`),
    quotaHeaders: (lane, used, resetAt) => ({
      'x-contentful-ratelimit-second-limit': String(lane.limit),
      'x-contentful-ratelimit-second-remaining': String(Math.max(0, lane.limit - used)),
      'x-contentful-ratelimit-reset': String(
        used >= lane.limit ? Math.max(1, Math.ceil((resetAt - context.clock.now()) / 1000)) : 0,
      ),
    }),
  };
}
