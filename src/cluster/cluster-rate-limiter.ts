/**
 * @module
 * `ClusterRateLimiter`: per-platform quotas shared by every worker, as sliding-window logs in
 * Redis (one sorted set per quota, trimmed and counted by one Lua script that reads Redis's own
 * clock). A grant is refused while any of the platform's windows is full, so no rolling window
 * ever holds more grants than its limit, whichever worker asked. Windows are widened by
 * `marginMs` and a grant older than that is not used (see `cluster-connectors.ts`), so the
 * gap between a grant and the request reaching the platform cannot push a window over.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { CONTENTFUL_QUOTA } from '../connectors/contentful/contentful-connector.js';
import { FACEBOOK_QUOTA } from '../connectors/facebook/facebook-connector.js';
import { GA4_QUOTA } from '../connectors/ga4/ga4-connector.js';
import { HUBSPOT_QUOTA } from '../connectors/hubspot/hubspot-connector.js';
import { INSTAGRAM_QUOTA } from '../connectors/instagram/instagram-connector.js';
import { LINKEDIN_POST_QUOTA } from '../connectors/linkedin/linkedin-connector.js';
import { MAILCHIMP_QUOTA } from '../connectors/mailchimp/mailchimp-connector.js';
import { META_ADS_DEV_QUOTA } from '../connectors/meta-ads/meta-ads-connector.js';
import type { RateQuota } from '../connectors/quota-limiter.js';
import { SEGMENT_QUOTA } from '../connectors/segment/segment-connector.js';
import { SENDGRID_QUOTA } from '../connectors/sendgrid/sendgrid-connector.js';
import { SLACK_HISTORY_QUOTA } from '../connectors/slack/slack-connector.js';
import { TIKTOK_QUOTA } from '../connectors/tiktok/tiktok-connector.js';
import { TWILIO_QUOTA } from '../connectors/twilio/twilio-connector.js';
import { WORDPRESS_QUOTA } from '../connectors/wordpress/wordpress-connector.js';
import { X_READ_QUOTA } from '../connectors/x/x-connector.js';

/** Quotas enforced cluster-wide, per platform: every listed window must have room. */
export type ClusterQuotas = Readonly<Record<string, readonly RateQuota[]>>;

/**
 * The connectors' documented quotas, applied to every request of the platform cluster-wide.
 * Where a connector has several lanes (per channel, per endpoint), the strictest one stands
 * for the whole platform: never above a quota, at some cost in throughput. Platforms not
 * listed (google_ads, teams) are limited per worker process by their connectors only.
 */
export const DEFAULT_CLUSTER_QUOTAS: ClusterQuotas = {
  sendgrid: [SENDGRID_QUOTA],
  mailchimp: [MAILCHIMP_QUOTA],
  hubspot: [HUBSPOT_QUOTA],
  twilio: [TWILIO_QUOTA],
  slack: [SLACK_HISTORY_QUOTA],
  facebook: [FACEBOOK_QUOTA],
  instagram: [INSTAGRAM_QUOTA],
  x: [X_READ_QUOTA],
  linkedin: [LINKEDIN_POST_QUOTA],
  tiktok: [TIKTOK_QUOTA],
  meta_ads: [META_ADS_DEV_QUOTA],
  ga4: [GA4_QUOTA],
  wordpress: [WORDPRESS_QUOTA],
  contentful: [CONTENTFUL_QUOTA],
  segment: [SEGMENT_QUOTA],
};

/** Options of a {@link ClusterRateLimiter}. */
export interface ClusterRateLimiterOptions {
  /** Redis URL. */
  readonly url: string;
  /** Prefix of every key, so clusters can share a Redis. @default 'herald' */
  readonly prefix?: string;
  /** @default DEFAULT_CLUSTER_QUOTAS */
  readonly quotas?: ClusterQuotas;
  /** Slack for the time between a grant and the request's arrival (stamped by the platform once the body is read). @default 1_000 */
  readonly marginMs?: number;
}

/** Rate-limit state of one quota window, for status views. */
export interface QuotaState {
  readonly platform: string;
  readonly limit: number;
  readonly windowMs: number;
  /** Grants in the current window. */
  readonly used: number;
}

const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local wait = 0
for i, key in ipairs(KEYS) do
  local limit = tonumber(ARGV[2 * i])
  local window = tonumber(ARGV[2 * i + 1])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local n = redis.call('ZCARD', key)
  if n >= limit then
    local oldest = redis.call('ZRANGE', key, n - limit, n - limit, 'WITHSCORES')
    local w = tonumber(oldest[2]) + window - now
    if w > wait then wait = w end
  end
end
if wait > 0 then return wait end
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, ARGV[1])
  redis.call('PEXPIRE', key, tonumber(ARGV[2 * i + 1]))
end
return 0
`;

/**
 * Hands out permission to call a platform, within its quotas across the whole cluster.
 * @example
 * const limiter = new ClusterRateLimiter({ url: 'redis://127.0.0.1:6379' });
 * await limiter.acquire('sendgrid');
 */
export class ClusterRateLimiter {
  /** Slack added to every window, ms. */
  readonly marginMs: number;
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #quotas: ClusterQuotas;
  readonly #id = randomUUID();
  #seq = 0;

  constructor(options: ClusterRateLimiterOptions) {
    this.#redis = new Redis(options.url, { maxRetriesPerRequest: null, lazyConnect: false });
    this.#redis.on('error', () => undefined);
    this.#prefix = options.prefix ?? 'herald';
    this.#quotas = options.quotas ?? DEFAULT_CLUSTER_QUOTAS;
    this.marginMs = options.marginMs ?? 1_000;
  }

  /**
   * Resolves once a call to `platform` may be made, with the `performance.now()` at which the
   * granting request left (the grant is no older than that); platforms without quotas pass at
   * once.
   */
  async acquire(platform: string, signal?: AbortSignal): Promise<number> {
    const quotas = this.#quotas[platform];
    if (!quotas || quotas.length === 0) return performance.now();
    for (;;) {
      signal?.throwIfAborted();
      const member = `${this.#id}:${String(++this.#seq)}`;
      const asked = performance.now();
      const wait = (await this.#redis.eval(
        ACQUIRE,
        quotas.length,
        ...quotas.map((q) => this.#key(platform, q)),
        member,
        ...quotas.flatMap((q) => [q.limit, q.windowMs + this.marginMs]),
      )) as number;
      if (wait === 0) return asked;
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, wait)));
    }
  }

  /** Grants in each platform's current windows. */
  async state(): Promise<QuotaState[]> {
    const states: QuotaState[] = [];
    const [seconds, micros] = await this.#redis.time();
    const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    for (const [platform, quotas] of Object.entries(this.#quotas)) {
      for (const quota of quotas) {
        const used = await this.#redis.zcount(
          this.#key(platform, quota),
          `(${String(now - quota.windowMs - this.marginMs)}`,
          '+inf',
        );
        states.push({ platform, limit: quota.limit, windowMs: quota.windowMs, used });
      }
    }
    return states;
  }

  /** Closes the Redis connection. */
  async close(): Promise<void> {
    await this.#redis.quit().catch(() => undefined);
  }

  #key(platform: string, quota: RateQuota): string {
    return `${this.#prefix}:ratelimit:${platform}:${String(quota.limit)}/${String(quota.windowMs)}`;
  }
}
