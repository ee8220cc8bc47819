import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConnectorRegistry } from '../../src/connectors/connector-registry.js';
import { isConnectorError, type ConnectorError } from '../../src/connectors/connector-error.js';
import { instagramMarker } from '../../src/connectors/instagram/instagram-connector.js';
import { actionRequest, startHarness, type Harness } from './connector-harness.js';

/** A token the sandbox accepts; the canaries must never leak into errors. */
const TOKEN = 'EAAcanary-ig-6c1f-secret';
const USER = '17841400000000001';

async function failure(work: Promise<unknown>): Promise<ConnectorError> {
  try {
    await work;
  } catch (error) {
    if (isConnectorError(error)) return error;
    throw error;
  }
  throw new Error('expected a ConnectorError');
}

const post = (media = ['https://cdn.acme.test/launch.jpg'], overrides = {}) =>
  actionRequest({
    platform: 'instagram',
    action: 'post',
    recipients: [],
    content: { text: 'New drop', mediaUrls: media, variants: [] },
    ...overrides,
  });

const env = (extra: Record<string, string> = {}) => ({
  env: {
    INSTAGRAM_ACCESS_TOKEN: TOKEN,
    INSTAGRAM_USER_ID: USER,
    META_APP_SECRET: 'app-secret-canary',
    ...extra,
  },
});

describe('instagram connector against its sandbox', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(['instagram'], { retry: { maximumAttempts: 3 }, ...env() });
  });
  afterEach(async () => {
    await h.sandbox.close();
  });

  it('creates a container, polls it until FINISHED, publishes it and returns the permalink', async () => {
    const instagram = h.registry.get('instagram');
    const request = post();
    const result = await instagram.perform(request);
    expect(result.outputs.url).toMatch(/^https:\/\/www\.instagram\.com\/p\/[\w-]+\/$/);
    expect(result.outputs.mediaId).toBe(result.externalId);
    const log = h.sandbox
      .received('instagram')
      .map((r) => `${r.method} ${r.path.split('/').slice(2).join('/')}`);
    expect(log).toEqual([
      `POST ${USER}/media`,
      expect.stringMatching(/^GET \d+$/),
      expect.stringMatching(/^GET \d+$/),
      `POST ${USER}/media_publish`,
      `GET ${result.externalId!}`,
    ]);
    expect(h.sandbox.received('instagram')[0]?.body).toEqual({
      image_url: 'https://cdn.acme.test/launch.jpg',
      caption: `New drop\n\n${instagramMarker(request)}`,
    });
    const reel = await instagram.perform(post(['https://cdn.acme.test/clip.mp4']));
    expect(reel.externalId).toBeDefined();
    expect(h.sandbox.received('instagram').at(-6)?.body).toMatchObject({
      media_type: 'REELS',
      video_url: 'https://cdn.acme.test/clip.mp4',
    });
    expect(instagram.health?.().state).toBe('ready');
  });

  it('reconciles a publication dropped after commit instead of publishing again', async () => {
    const instagram = h.registry.get('instagram');
    const request = post();
    h.sandbox.inject('instagram', {
      kind: 'dropAfterCommit',
      path: `/v25.0/${USER}/media_publish`,
    });
    expect((await failure(instagram.perform(request))).code).toBe('unknown_outcome');
    const [delivery] = h.sandbox.deliveries('instagram');
    await expect(instagram.reconcile(request)).resolves.toMatchObject({
      status: 'done',
      result: { externalId: delivery?.messageId },
    });
    await expect(instagram.reconcile(post())).resolves.toEqual({ status: 'not_found' });
    expect(h.sandbox.deliveries('instagram')).toHaveLength(1);
  });

  it('pages media with cursors and answers unknown past its budget', async () => {
    const instagram = h.registry.get('instagram');
    const old = post();
    await instagram.perform(old);
    const base = `${h.sandbox.urls.instagram!}/v25.0/${USER}`;
    const bulk = async (count: number) => {
      for (let i = 0; i < count; i++) {
        if (i % 25 === 0) h.clock.advanceBy(86_400_000);
        const call = async (edge: string, form: Record<string, string>) => {
          const response = await fetch(`${base}/${edge}?appsecret_proof=${'b'.repeat(64)}`, {
            method: 'POST',
            headers: {
              authorization: `Bearer EAAbulk${i}`,
              'content-type': 'application/x-www-form-urlencoded',
            },
            body: new URLSearchParams(form).toString(),
          });
          return (await response.json()) as { id: string };
        };
        const { id } = await call('media', {
          image_url: 'https://cdn.acme.test/x.jpg',
          caption: `n${i}`,
        });
        h.clock.advanceBy(5000);
        await call('media_publish', { creation_id: id });
      }
    };
    await bulk(250);
    await expect(instagram.reconcile(old)).resolves.toMatchObject({ status: 'done' });
    await bulk(50);
    await expect(instagram.reconcile(old)).resolves.toMatchObject({ status: 'unknown' });
  });

  it('maps Graph and publishing errors to their codes', async () => {
    const instagram = h.registry.get('instagram');
    const cases = [
      [{ kind: 'versionSunset' }, 'version_sunset', '12'],
      [{ kind: '429', retryAfterSeconds: 1, times: 3 }, 'rate_limited', '4'],
      [{ kind: 'expiredToken' }, 'auth_expired', '190/463'],
      [
        { kind: '5xx', status: 500, path: `/v25.0/${USER}/media_publish` },
        'unknown_outcome',
        '-1/2207001',
      ],
    ] as const;
    for (const [fault, code, platformCode] of cases) {
      h.sandbox.inject('instagram', fault);
      const error = await failure(instagram.perform(post()));
      expect([error.code, error.platformCode]).toEqual([code, platformCode]);
      expect(error.message).not.toContain('canary');
    }
    h.sandbox.inject('instagram', { kind: '5xx', status: 500, path: `/v25.0/${USER}/media` });
    await expect(instagram.perform(post())).resolves.toMatchObject({ accepted: 1 });
    const broken = await failure(instagram.perform(post(['https://cdn.acme.test/broken.jpg'])));
    expect([broken.code, broken.message]).toEqual([
      'invalid_request',
      expect.stringContaining('is ERROR: Error: 2207004'),
    ]);
    const slow = await failure(instagram.perform(post(['https://cdn.acme.test/slow.jpg'])));
    expect([slow.code, slow.retryable]).toEqual(['transient', true]);
    const quota = await startHarness(['instagram'], env());
    const capped = quota.registry.get('instagram');
    for (let i = 0; i < 25; i++) {
      const call = async (edge: string, form: Record<string, string>) => {
        const response = await fetch(
          `${quota.sandbox.urls.instagram!}/v25.0/${USER}/${edge}?appsecret_proof=${'c'.repeat(64)}`,
          {
            method: 'POST',
            headers: {
              authorization: 'Bearer EAAother',
              'content-type': 'application/x-www-form-urlencoded',
            },
            body: new URLSearchParams(form).toString(),
          },
        );
        return (await response.json()) as { id: string };
      };
      const { id } = await call('media', { image_url: 'https://cdn.acme.test/x.jpg' });
      quota.clock.advanceBy(5000);
      await call('media_publish', { creation_id: id });
    }
    const over = await failure(capped.perform(post()));
    expect([over.code, over.platformCode]).toEqual(['quota_exhausted', '9/2207042']);
    await quota.sandbox.close();
  });

  it('maps the other answers of the fake: expiry, readiness, spam, bad tokens', async () => {
    const base = `${h.sandbox.urls.instagram!}/v25.0`;
    const proof = 'a'.repeat(64);
    const call = async (method: string, path: string, body?: Record<string, string>) => {
      const response = await fetch(
        `${base}${path}${path.includes('?') ? '&' : '?'}appsecret_proof=${proof}`,
        {
          method,
          headers: {
            authorization: `Bearer ${TOKEN}`,
            ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
          },
          ...(body ? { body: new URLSearchParams(body).toString() } : {}),
        },
      );
      return (await response.json()) as {
        id?: string;
        error?: { code: number; error_subcode?: number };
        data?: unknown[];
      };
    };
    const container = await call('POST', `/${USER}/media`, {
      image_url: 'https://cdn.acme.test/a.jpg',
    });
    expect(
      (await call('POST', `/${USER}/media_publish`, { creation_id: container.id! })).error?.code,
    ).toBe(9007);
    expect(
      (
        await call('POST', `/${USER}/media`, {
          media_type: 'VIDEO',
          video_url: 'https://x.test/a.mp4',
        })
      ).error?.code,
    ).toBe(100);
    expect((await call('POST', `/${USER}/media`, {})).error?.code).toBe(100);
    expect((await call('POST', `/${USER}/media_publish`, { creation_id: '1' })).error?.code).toBe(
      24,
    );
    expect((await call('GET', `/${USER}/content_publishing_limit`)).data).toHaveLength(1);
    expect((await call('GET', '/nothing')).error?.error_subcode).toBe(33);
    h.clock.advanceBy(86_400_000);
    expect(
      (await call('POST', `/${USER}/media_publish`, { creation_id: container.id! })).error?.code,
    ).toBe(-2);
    const fresh = await call('POST', `/${USER}/media`, {
      image_url: 'https://cdn.acme.test/b.jpg',
    });
    h.clock.advanceBy(10_000);
    const media = await call('POST', `/${USER}/media_publish`, { creation_id: fresh.id! });
    expect(
      (await call('POST', `/${USER}/media_publish`, { creation_id: fresh.id! })).error?.code,
    ).toBe(100);
    expect(await call('GET', `/${fresh.id!}?fields=status_code`)).toMatchObject({
      status_code: 'PUBLISHED',
    });
    expect((await call('GET', `/${media.id!}/insights?metric=impressions`)).error?.code).toBe(100);
    const noProof = await fetch(`${base}/${USER}/media`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(noProof.status).toBe(400);
    const badVersion = await fetch(
      `${h.sandbox.urls.instagram!}/latest/${USER}/media?appsecret_proof=${proof}`,
      { headers: { authorization: `Bearer ${TOKEN}` } },
    );
    expect(badVersion.status).toBe(400);
    const other = await startHarness(['instagram'], env({ INSTAGRAM_ACCESS_TOKEN: 'bogus' }));
    expect((await failure(other.registry.get('instagram').perform(post()))).code).toBe(
      'auth_expired',
    );
    await other.sandbox.close();
    expect(() => createConnectorRegistry({ env: {} }).get('instagram')).toThrow(
      /INSTAGRAM_ACCESS_TOKEN, INSTAGRAM_USER_ID, META_APP_SECRET/,
    );
  });

  it('reads seeded lifetime media insights by id or for media published in the range', async () => {
    const instagram = h.registry.get('instagram');
    const first = await instagram.perform(post());
    h.clock.advanceBy(86_400_000);
    const second = await instagram.perform(post());
    const byId = await instagram.fetchMetrics!({
      from: '2026-11-25',
      to: '2026-11-26',
      entities: [first.externalId!],
    });
    expect(byId).toEqual([
      {
        date: '2026-11-26',
        entity: first.externalId,
        metrics: {
          views: expect.any(Number),
          reach: expect.any(Number),
          likes: expect.any(Number),
          comments: expect.any(Number),
          saved: expect.any(Number),
          shares: expect.any(Number),
          total_interactions: expect.any(Number),
        },
        timeZone: 'UTC',
      },
    ]);
    const range = await instagram.fetchMetrics!({ from: '2026-11-26', to: '2026-11-26' });
    expect(range.map((r) => r.entity)).toEqual([second.externalId]);
    h.sandbox.inject('instagram', {
      kind: 'schemaDrift',
      field: 'data.0.values',
      renameTo: 'points',
    });
    const drift = await failure(
      instagram.fetchMetrics!({
        from: '2026-11-25',
        to: '2026-11-26',
        entities: [first.externalId!],
      }),
    );
    expect(drift.code).toBe('schema_drift');
    const missing = await failure(
      instagram.fetchMetrics!({ from: '2026-11-25', to: '2026-11-26', entities: ['1'] }),
    );
    expect([missing.code, missing.platformCode]).toEqual(['not_found', '100/33']);
  });

  it('rejects what Instagram cannot post before calling it', async () => {
    const instagram = h.registry.get('instagram');
    for (const request of [
      post([]),
      post(['https://a.test/1.jpg', 'https://a.test/2.jpg']),
      post(undefined, { action: 'notify' }),
    ]) {
      expect((await failure(instagram.perform(request))).code).toBe('invalid_request');
    }
    expect(h.sandbox.received('instagram')).toHaveLength(0);
  });
});
