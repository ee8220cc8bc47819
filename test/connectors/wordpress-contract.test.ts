import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConnectorRegistry } from '../../src/connectors/connector-registry.js';
import { isConnectorError, type ConnectorError } from '../../src/connectors/connector-error.js';
import { wordPressSlug } from '../../src/connectors/wordpress/wordpress-connector.js';
import { actionRequest, startHarness, type Harness } from './connector-harness.js';

/** An Application Password the sandbox accepts; the canary must never leak into errors. */
const APP_PASSWORD = 'cana ryWP 7f3a 9c0s ecre tXYZ';

async function failure(work: Promise<unknown>): Promise<ConnectorError> {
  try {
    await work;
  } catch (error) {
    if (isConnectorError(error)) return error;
    throw error;
  }
  throw new Error('expected a ConnectorError');
}

const publish = (overrides = {}, options = {}) =>
  actionRequest({
    platform: 'wordpress',
    action: 'publish',
    recipients: [],
    content: { title: 'Spring Launch!', html: '<p>Body</p>', mediaUrls: [], variants: [] },
    options,
    ...overrides,
  });

const env = (username = 'herald') => ({
  env: { WORDPRESS_USERNAME: username, WORDPRESS_APP_PASSWORD: APP_PASSWORD },
});

describe('wordpress connector against its sandbox', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(['wordpress'], { retry: { maximumAttempts: 3 }, ...env() });
  });
  afterEach(async () => {
    await h.sandbox.close();
  });

  it('publishes with basic auth and a keyed slug, returning the public url, when cms resolves to wordpress', async () => {
    const wordpress = h.registry.get('cms');
    const request = publish();
    const result = await wordpress.perform(request);
    const slug = wordPressSlug(request);
    expect(slug).toMatch(/^spring-launch-[0-9a-f]{12}$/);
    expect(result).toEqual({
      externalId: '100',
      outputs: {
        url: `${h.sandbox.urls.wordpress!}/2026/11/25/${slug}/`,
        postId: '100',
        status: 'publish',
      },
      accepted: 1,
    });
    const [received] = h.sandbox.received('wordpress');
    const basic = Buffer.from(`herald:${APP_PASSWORD.replace(/ /g, '')}`).toString('base64');
    expect(received?.headers.authorization).toBe(`Basic ${basic}`);
    expect(received?.body).toEqual({
      title: 'Spring Launch!',
      content: '<p>Body</p>',
      status: 'publish',
      slug,
    });
    expect(h.sandbox.deliveries('wordpress')).toHaveLength(1);
    expect(wordpress.health?.().state).toBe('ready');
    expect(wordpress.capabilities).toEqual(['publish']);
  });

  it('reads back the status WordPress chose for a scheduled post, which cron later publishes', async () => {
    const wordpress = h.registry.get('wordpress');
    const request = publish({}, { date_gmt: '2026-11-26T09:00:00' });
    const result = await wordpress.perform(request);
    expect(result.outputs.status).toBe('future');
    expect(result.outputs.url).toBe(`${h.sandbox.urls.wordpress!}/?p=100`);
    const past = await wordpress.perform(
      publish({}, { status: 'future', date_gmt: '2026-11-25T12:00:30' }),
    );
    expect(past.outputs.status).toBe('publish');
    h.clock.advanceBy(86_400_000);
    await expect(wordpress.reconcile(request)).resolves.toMatchObject({
      status: 'done',
      result: { outputs: { status: 'publish', postId: '100' } },
    });
  });

  it('reconciles a post dropped after commit by its slug instead of re-sending it', async () => {
    const wordpress = h.registry.get('wordpress');
    const request = publish({ content: { text: 'untitled', mediaUrls: [], variants: [] } });
    expect(wordPressSlug(request)).toMatch(/^herald-[0-9a-f]{12}$/);
    h.sandbox.inject('wordpress', { kind: 'dropAfterCommit' });
    const dropped = await failure(wordpress.perform(request));
    expect(dropped.code).toBe('unknown_outcome');
    const reconciled = await wordpress.reconcile(request);
    expect(reconciled).toMatchObject({ status: 'done', result: { externalId: '100' } });
    await expect(wordpress.reconcile(publish())).resolves.toEqual({ status: 'not_found' });
    expect(h.sandbox.deliveries('wordpress')).toHaveLength(1);
    const list = h.sandbox.received('wordpress')[1];
    expect(list?.query).toMatchObject({
      context: 'edit',
      status: 'publish,future,draft,pending,private',
    });
  });

  it('maps every WordPress error to its code without leaking the password', async () => {
    const wordpress = h.registry.get('wordpress');
    const cases = [
      [{ kind: 'expiredToken' }, 'auth_expired', 401, 'incorrect_password'],
      [{ kind: 'versionSunset' }, 'version_sunset', 404, 'rest_no_route'],
      [{ kind: '5xx', status: 500 }, 'unknown_outcome', 500, 'internal_server_error'],
      [{ kind: '429', retryAfterSeconds: 1, times: 3 }, 'rate_limited', 429, undefined],
    ] as const;
    for (const [fault, code, status, platformCode] of cases) {
      h.sandbox.inject('wordpress', fault);
      const error = await failure(wordpress.perform(publish()));
      expect([error.code, error.status, error.platformCode]).toEqual([code, status, platformCode]);
      expect(error.message).not.toContain('cana');
    }
    h.sandbox.inject('wordpress', { kind: 'versionSunset' });
    const sunset = await failure(wordpress.perform(publish()));
    expect(sunset.message).toContain(
      'API version wp/v2 is retired; move to the namespace listed at /wp-json/',
    );
    h.sandbox.inject('wordpress', { kind: '5xx', status: 503 });
    await expect(wordpress.reconcile(publish())).resolves.toEqual({ status: 'not_found' });
    const invalid = await failure(wordpress.perform(publish({}, { date_gmt: 'tomorrow' })));
    expect([invalid.code, invalid.status, invalid.platformCode]).toEqual([
      'invalid_request',
      400,
      'rest_invalid_param',
    ]);
  });

  it('maps the user-level answers: contributor, unknown user, disabled application passwords', async () => {
    const cases = [
      ['contributor', 'permission_denied', 403, 'rest_cannot_publish'],
      ['unknown', 'auth_expired', 401, 'invalid_username'],
      ['nopass', 'permission_denied', 501, 'application_passwords_disabled'],
    ] as const;
    for (const [username, code, status, platformCode] of cases) {
      const other = await startHarness(['wordpress'], env(username));
      const error = await failure(other.registry.get('wordpress').perform(publish()));
      expect([error.code, error.status, error.platformCode]).toEqual([code, status, platformCode]);
      expect(other.sandbox.received('wordpress')).toHaveLength(1);
      await other.sandbox.close();
    }
  });

  it('rejects what WordPress could not publish before calling it', async () => {
    const wordpress = h.registry.get('wordpress');
    const bad = [
      publish({ action: 'post' }),
      publish({ content: { mediaUrls: [], variants: [] } }),
      publish({}, { status: 'scheduled' }),
      publish({}, { date_gmt: 5 }),
    ];
    for (const request of bad) {
      expect((await failure(wordpress.perform(request))).code).toBe('invalid_request');
    }
    expect(h.sandbox.received('wordpress')).toHaveLength(0);
  });

  it('names a drifted field and needs a site url and credentials', async () => {
    h.sandbox.inject('wordpress', { kind: 'schemaDrift', field: 'link', renameTo: 'permalink' });
    const drift = await failure(h.registry.get('wordpress').perform(publish()));
    expect([drift.code, drift.message]).toEqual(['schema_drift', expect.stringContaining('link')]);
    expect(() => createConnectorRegistry({ env: {} }).get('wordpress')).toThrow(
      /WORDPRESS_USERNAME, WORDPRESS_APP_PASSWORD/,
    );
    expect(() => createConnectorRegistry(env()).get('wordpress')).toThrow(/WORDPRESS_SITE_URL/);
    const configured = createConnectorRegistry({
      ...env(),
      config: { wordpress: { siteUrl: 'https://blog.acme.test/' } },
    });
    expect(configured.get('wordpress').platform).toBe('wordpress');
  });

  it('fakes paging headers, post look-ups and the WP_Error answers of its other routes', async () => {
    const wordpress = h.registry.get('wordpress');
    for (let i = 0; i < 3; i++) await wordpress.perform(publish());
    const base = `${h.sandbox.urls.wordpress!}/wp-json/wp/v2`;
    const auth = `Basic ${Buffer.from(`herald:${APP_PASSWORD}`).toString('base64')}`;
    const get = async (path: string, headers: Record<string, string> = { authorization: auth }) => {
      const response = await fetch(`${base}${path}`, { headers });
      return {
        status: response.status,
        headers: response.headers,
        body: await response.json(),
      };
    };
    const page = await get('/posts?per_page=2&page=2');
    expect([
      page.status,
      page.headers.get('x-wp-total'),
      page.headers.get('x-wp-totalpages'),
    ]).toEqual([200, '3', '2']);
    expect(page.headers.get('link')).toContain('rel="prev"');
    expect((await get('/posts?per_page=2')).headers.get('link')).toContain('rel="next"');
    const codes = await Promise.all(
      [
        '/posts?per_page=2&page=5',
        '/posts?per_page=101',
        '/posts?status=future',
        '/posts?status=trash&context=edit',
        '/posts/999',
        '/posts/100',
        '/users/me',
      ].map(async (path) => {
        const { status, body } = await get(path);
        return [status, (body as { code?: string }).code];
      }),
    );
    expect(codes).toEqual([
      [400, 'rest_post_invalid_page_number'],
      [400, 'rest_invalid_param'],
      [400, 'rest_invalid_param'],
      [400, 'rest_invalid_param'],
      [404, 'rest_post_invalid_id'],
      [200, undefined],
      [200, undefined],
    ]);
    expect((await get('/users/me', {})).body).toMatchObject({ code: 'rest_not_logged_in' });
    const anonymous = await get('/posts', {});
    expect([anonymous.status, (anonymous.body as unknown[]).length]).toEqual([200, 3]);
    expect((await get('/posts?context=edit', {})).status).toBe(401);
    expect((await get('/posts?status=draft', {})).status).toBe(400);
    const empty = await fetch(`${base}/posts`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'draft' }),
    });
    expect([empty.status, ((await empty.json()) as { code: string }).code]).toEqual([
      400,
      'empty_content',
    ]);
    const bad = await fetch(`${base}/posts`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'later', title: 'x' }),
    });
    expect(bad.status).toBe(400);
  });
});
