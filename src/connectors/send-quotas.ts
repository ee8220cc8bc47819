/**
 * @module
 * The documented quotas each platform's side-effecting calls count against, so a plan can say
 * before launch how long a step's calls take at the platform's pace, and refuse a step that
 * would exhaust a daily quota halfway.
 */
import type { ConcretePlatform } from './connector-registry.js';
import { CONTENTFUL_QUOTA } from './contentful/contentful-connector.js';
import { FACEBOOK_QUOTA } from './facebook/facebook-connector.js';
import { GOOGLE_ADS_QUOTAS } from './google-ads/google-ads-connector.js';
import { HUBSPOT_QUOTA } from './hubspot/hubspot-connector.js';
import { INSTAGRAM_PUBLISH_QUOTA, INSTAGRAM_QUOTA } from './instagram/instagram-connector.js';
import { LINKEDIN_POST_QUOTA } from './linkedin/linkedin-connector.js';
import { MAILCHIMP_QUOTA } from './mailchimp/mailchimp-connector.js';
import { META_ADS_DEV_QUOTA } from './meta-ads/meta-ads-connector.js';
import type { RateQuota } from './quota-limiter.js';
import { SEGMENT_QUOTA } from './segment/segment-connector.js';
import { SENDGRID_QUOTA } from './sendgrid/sendgrid-connector.js';
import { SLACK_POST_QUOTA } from './slack/slack-connector.js';
import { TEAMS_QUOTAS } from './teams/teams-connector.js';
import { TIKTOK_QUOTA } from './tiktok/tiktok-connector.js';
import { TWILIO_QUOTA } from './twilio/twilio-connector.js';
import { WORDPRESS_QUOTA } from './wordpress/wordpress-connector.js';
import { X_POST_QUOTA } from './x/x-connector.js';

/** Quotas a platform's sends, posts and ad changes count against (its default access tier). */
export const SEND_QUOTAS: Readonly<Record<Exclude<ConcretePlatform, 'ga4'>, readonly RateQuota[]>> =
  {
    sendgrid: [SENDGRID_QUOTA],
    mailchimp: [MAILCHIMP_QUOTA],
    hubspot: [HUBSPOT_QUOTA],
    twilio: [TWILIO_QUOTA],
    slack: [SLACK_POST_QUOTA],
    teams: TEAMS_QUOTAS,
    wordpress: [WORDPRESS_QUOTA],
    contentful: [CONTENTFUL_QUOTA],
    facebook: [FACEBOOK_QUOTA],
    instagram: [INSTAGRAM_PUBLISH_QUOTA, INSTAGRAM_QUOTA],
    linkedin: [LINKEDIN_POST_QUOTA],
    x: [X_POST_QUOTA],
    tiktok: [TIKTOK_QUOTA],
    meta_ads: [META_ADS_DEV_QUOTA],
    google_ads: [GOOGLE_ADS_QUOTAS.explorer!],
    segment: [SEGMENT_QUOTA],
  };

const DAY_MS = 86_400_000;

/** What a step's calls mean against its platform's quotas. */
export interface QuotaForecast {
  /** The quotas, in words, e.g. `600 per minute`. */
  readonly quotas: readonly string[];
  /** Least time the calls take at the quotas' pace, ms (0 when they fit the first window). */
  readonly minimumMs: number;
  /** A quota of a day or longer the calls exceed, in words; undefined when they fit. */
  readonly exceedsDaily?: string;
}

/**
 * Forecasts `calls` calls on `platform`.
 * @example sendQuotaForecast('instagram', 30).exceedsDaily // "25 per day"
 */
export function sendQuotaForecast(platform: ConcretePlatform, calls: number): QuotaForecast {
  const quotas = platform === 'ga4' ? [] : SEND_QUOTAS[platform];
  const minimumMs = Math.max(
    0,
    ...quotas.map((q) => Math.max(0, Math.ceil(calls / q.limit) - 1) * q.windowMs),
  );
  const daily = quotas.find((q) => q.windowMs >= DAY_MS && calls > q.limit);
  return {
    quotas: quotas.map(describeQuota),
    minimumMs,
    ...(daily ? { exceedsDaily: describeQuota(daily) } : {}),
  };
}

/** `{ limit: 600, windowMs: 60000 }` → `600 per minute`. */
export function describeQuota(quota: RateQuota): string {
  const units: [number, string][] = [
    [DAY_MS, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1000, 'second'],
  ];
  for (const [ms, unit] of units) {
    if (quota.windowMs % ms === 0) {
      const n = quota.windowMs / ms;
      return `${String(quota.limit)} per ${n === 1 ? unit : `${String(n)} ${unit}s`}`;
    }
  }
  return `${String(quota.limit)} per ${String(quota.windowMs)} ms`;
}
