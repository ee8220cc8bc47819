import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CONTENTFUL_QUOTA,
  contentfulEntryId,
} from '../../src/connectors/contentful/contentful-connector.js';
import { createConnectorRegistry } from '../../src/connectors/connector-registry.js';
import { isConnectorError, type ConnectorError } from '../../src/connectors/connector-error.js';
import { maxInRollingWindow } from '../../src/sandbox/sliding-window.js';
import { actionRequest, startHarness, type Harness } from './connector-harness.js';

/** A token the sandbox accepts; the canary must never leak into errors. */
const TOKEN = 'CFPAT-canary-2a9e-secret';
const ENTRIES = '/spaces/sp1/environments/master/entries';

async function failure(work: Promise<unknown>): Promise<ConnectorError> {
  try {
    await work;
  } catch (error) {
    if (isConnectorError(error)) return error;
    throw error;
  }
  throw new Error('expected a ConnectorError');
}

const publish = (overrides = {}) =>
  actionRequest({
    platform: 'contentful',
    action: 'publish',
    recipients: [],
    content: { title: 'Spring Launch', html: '<p>Body</p>', mediaUrls: [], variants: [] },
    ...overrides,
  });

const env = (extra: Record<string, string> = {}) => ({
  env: {
    CONTENTFUL_MANAGEMENT_TOKEN: TOKEN,
    CONTENTFUL_SPACE_ID: 'sp1',
    CONTENTFUL_URL_TEMPLATE: 'https://acme.test/blog/{slug}',
    ...extra,
  },
});

describe('contentful connector against its sandbox', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(['contentful'], { retry: { maximumAttempts: 3 }, ...env() });
  });
  afterEach(async () => {
    await h.sandbox.close();
  });

  it('creates the entry under a keyed id, publishes it at its version and returns the public url', async () => {
    const contentful = h.registry.get('contentful');
    const request = publish();
    const id = contentfulEntryId(request);
    const result = await contentful.perform(request);
    expect(result).toEqual({
      externalId: id,
      outputs: { url: `https://acme.test/blog/spring-launch-${id.slice(7, 15)}`, entryId: id },
      accepted: 1,
    });
    const [create, publishCall] = h.sandbox.received('contentful');
    expect([create?.method, create?.path]).toEqual(['PUT', `${ENTRIES}/${id}`]);
    expect(create?.headers).toMatchObject({
      authorization: `Bearer ${TOKEN}`,
      'content-type': 'application/vnd.contentful.management.v1+json',
      'x-contentful-content-type': 'blogPost',
    });
    expect(create?.body).toEqual({
      fields: {
        title: { 'en-US': 'Spring Launch' },
        body: { 'en-US': '<p>Body</p>' },
        slug: { 'en-US': `spring-launch-${id.slice(7, 15)}` },
      },
    });
    expect([publishCall?.path, publishCall?.headers['x-contentful-version']]).toEqual([
      `${ENTRIES}/${id}/published`,
      '1',
    ]);
    expect(contentful.health?.().state).toBe('ready');
  });

  it('sends at 0.95 or more of the 7-per-second quota and never more in any second', async () => {
    const contentful = h.registry.get('contentful');
    await Promise.all(
      Array.from({ length: 35 }, (_, i) =>
        contentful.perform(publish({ idempotencyKey: `rate-${i}` })),
      ),
    );
    const log = h.sandbox.received('contentful');
    const times = log.map((r) => r.at);
    expect(log.filter((r) => r.status === 429)).toEqual([]);
    expect(maxInRollingWindow(times, CONTENTFUL_QUOTA.windowMs)).toBeLessThanOrEqual(7);
    const perSecond = ((times.length - 1) / (times.at(-1)! - times[0]!)) * 1000;
    expect(perSecond).toBeGreaterThanOrEqual(0.95 * CONTENTFUL_QUOTA.limit);
  });

  it('reconciles a publication dropped after commit, and resumes a draft left by a lost create', async () => {
    const contentful = h.registry.get('contentful');
    const request = publish();
    h.sandbox.inject('contentful', {
      kind: 'dropAfterCommit',
      path: `${ENTRIES}/${contentfulEntryId(request)}/published`,
    });
    expect((await failure(contentful.perform(request))).code).toBe('unknown_outcome');
    await expect(contentful.reconcile(request)).resolves.toMatchObject({
      status: 'done',
      result: { externalId: contentfulEntryId(request) },
    });
    await expect(contentful.perform(request)).resolves.toMatchObject({
      externalId: contentfulEntryId(request),
    });
    expect(h.sandbox.deliveries('contentful')).toHaveLength(1);
    const draft = publish({ content: { title: 'Draft only', mediaUrls: [], variants: [] } });
    h.sandbox.inject('contentful', {
      kind: '5xx',
      status: 503,
      path: `${ENTRIES}/${contentfulEntryId(draft)}/published`,
      times: 3,
    });
    expect((await failure(contentful.perform(draft))).code).toBe('transient');
    await expect(contentful.reconcile(draft)).resolves.toEqual({ status: 'not_found' });
    await expect(contentful.perform(draft)).resolves.toMatchObject({
      externalId: contentfulEntryId(draft),
    });
    await expect(contentful.reconcile(publish())).resolves.toEqual({ status: 'not_found' });
    h.sandbox.inject('contentful', { kind: 'expiredToken' });
    expect((await failure(contentful.reconcile(publish()))).code).toBe('auth_expired');
    expect(h.sandbox.deliveries('contentful')).toHaveLength(2);
  });

  it('maps each Contentful error to its code without leaking the token', async () => {
    const contentful = h.registry.get('contentful');
    const cases = [
      [{ kind: 'expiredToken' }, 'auth_expired', 401, 'AccessTokenInvalid'],
      [{ kind: 'versionSunset' }, 'version_sunset', 415, 'UnsupportedMediaType'],
      [{ kind: '429', retryAfterSeconds: 1, times: 3 }, 'rate_limited', 429, 'RateLimitExceeded'],
      [{ kind: '5xx', status: 502, times: 3 }, 'transient', 502, 'Hibernated'],
    ] as const;
    for (const [fault, code, status, platformCode] of cases) {
      h.sandbox.inject('contentful', fault);
      const error = await failure(contentful.perform(publish()));
      expect([error.code, error.status, error.platformCode]).toEqual([code, status, platformCode]);
      expect(error.message).not.toContain('canary');
    }
    h.sandbox.inject('contentful', { kind: 'versionSunset' });
    expect((await failure(contentful.perform(publish()))).message).toContain(
      'API version application/vnd.contentful.management.v1+json is retired',
    );
    const request = publish();
    h.sandbox.inject('contentful', {
      kind: '5xx',
      status: 500,
      path: `${ENTRIES}/${contentfulEntryId(request)}/published`,
    });
    const outage = await failure(contentful.perform(request));
    expect([outage.code, outage.platformCode]).toEqual(['unknown_outcome', 'ServerError']);
    h.sandbox.inject('contentful', { kind: 'schemaDrift', field: 'sys.version', renameTo: 'v' });
    expect((await failure(contentful.perform(publish()))).code).toBe('schema_drift');
  });

  it('maps permission, validation and content-type answers', async () => {
    const cases = [
      [{ CONTENTFUL_MANAGEMENT_TOKEN: 'CFPAT-readonly' }, 'permission_denied', 403, 'AccessDenied'],
      [{ CONTENTFUL_CONTENT_TYPE: 'product' }, 'invalid_request', 422, 'ValidationFailed'],
      [{ CONTENTFUL_CONTENT_TYPE: 'page' }, 'invalid_request', 422, 'InvalidEntry'],
      [{ CONTENTFUL_MANAGEMENT_TOKEN: 'nope' }, 'auth_expired', 401, 'AccessTokenInvalid'],
    ] as const;
    for (const [extra, code, status, platformCode] of cases) {
      const other = await startHarness(['contentful'], env(extra));
      const error = await failure(other.registry.get('contentful').perform(publish()));
      expect([error.code, error.status, error.platformCode]).toEqual([code, status, platformCode]);
      await other.sandbox.close();
    }
    const byId = await startHarness(
      ['contentful'],
      env({ CONTENTFUL_CONTENT_TYPE: 'page', CONTENTFUL_URL_TEMPLATE: 'https://acme.test/p/{id}' }),
    );
    const request = publish({
      content: { title: 'About', text: 'Plain', mediaUrls: [], variants: [] },
    });
    await expect(byId.registry.get('contentful').perform(request)).resolves.toMatchObject({
      outputs: { url: `https://acme.test/p/${contentfulEntryId(request)}` },
    });
    await byId.sandbox.close();
    expect(() => createConnectorRegistry({ env: {} }).get('contentful')).toThrow(
      /CONTENTFUL_MANAGEMENT_TOKEN, CONTENTFUL_SPACE_ID, CONTENTFUL_URL_TEMPLATE/,
    );
  });

  it('fakes the rest of the entry API: auto ids, updates with versions, missing headers', async () => {
    const base = `${h.sandbox.urls.contentful!}${ENTRIES}`;
    const call = async (
      method: string,
      path: string,
      headers: Record<string, string> = {},
      body?: unknown,
    ) => {
      h.clock.advanceBy(1000);
      const response = await fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${TOKEN}`,
          ...(body === undefined
            ? {}
            : { 'content-type': 'application/vnd.contentful.management.v1+json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return {
        status: response.status,
        body: (await response.json()) as { sys: { id: string; version?: number } },
      };
    };
    const created = await call(
      'POST',
      '',
      { 'x-contentful-content-type': 'page' },
      { fields: { title: { 'en-US': 'A' } } },
    );
    expect([created.status, created.body.sys.id]).toEqual([
      201,
      expect.stringMatching(/^[a-z0-9]{22}$/),
    ]);
    const id = created.body.sys.id;
    expect(
      (await call('PUT', `/${id}`, { 'x-contentful-version': '1' }, { fields: {} })).body.sys
        .version,
    ).toBe(2);
    expect(
      (await call('PUT', `/${id}`, { 'x-contentful-version': '1' }, { fields: {} })).status,
    ).toBe(409);
    expect((await call('PUT', `/${id}/published`, { 'x-contentful-version': '2' })).status).toBe(
      422,
    );
    expect((await call('POST', '', {}, { fields: {} })).status).toBe(400);
    expect((await call('GET', '')).status).toBe(400);
    expect((await call('DELETE', `/${id}`)).status).toBe(400);
    expect(
      (await call('PUT', '/bad id!', { 'x-contentful-content-type': 'page' }, { fields: {} }))
        .status,
    ).toBe(400);
    expect(
      (await call('PUT', `/${id}`, { 'content-type': 'text/plain' }, { fields: {} })).status,
    ).toBe(415);
    expect((await call('GET', '/../../assets')).status).toBe(404);
  });

  it('rejects what Contentful cannot publish before calling it', async () => {
    const contentful = h.registry.get('contentful');
    for (const request of [
      publish({ action: 'post' }),
      publish({ content: { text: 'no title', mediaUrls: [], variants: [] } }),
    ]) {
      expect((await failure(contentful.perform(request))).code).toBe('invalid_request');
    }
    expect(h.sandbox.received('contentful')).toHaveLength(0);
  });
});
