/**
 * @module
 * Platform metric name → normalised field and unit, one table per platform, built from the
 * "metrics" sections of the platform contracts (docs/platforms/*.md). A metric may be
 * reported under several keys (the API's JSON key, its dotted path, its query name); the first
 * key present wins.
 */
import type { Platform } from '../spec/platforms.js';
import type { MetricField } from './metric-fields.js';

/** Units platforms report in. */
export const METRIC_UNITS = [
  'count',
  'money',
  'money_micros',
  'money_minor',
  'money_negative',
  'percent',
  'ratio',
] as const;
/**
 * `count`: an integer (or a numeric string); `money`: major units of the row's currency
 * ("125.50"); `money_micros`: millionths of the currency (Google Ads `cost_micros`);
 * `money_minor`: the currency's minor unit (cents; yen for JPY); `money_negative`: major
 * units reported as a negative cost (Twilio `price`); `percent`: 0–100 of `of`; `ratio`: 0–1
 * of `of`.
 */
export type MetricUnit = (typeof METRIC_UNITS)[number];

/** How one normalised field is read from a platform row. */
export interface MetricSource {
  readonly field: MetricField;
  /** Keys the platform may use for it; the first present wins. */
  readonly keys: readonly string[];
  readonly unit: MetricUnit;
  /**
   * `direct`: the value itself; `part`: one addend (parts of a field are summed, e.g.
   * Mailchimp's hard + soft bounces); `rate`: a rate of `of`, used only when no direct or part
   * value is there (HubSpot `openratio` × deliveries).
   * @default "direct"
   */
  readonly role?: 'direct' | 'part' | 'rate';
  /** Denominator field of a `rate`. */
  readonly of?: MetricField;
}

/** What Herald knows about one platform's metrics. */
export interface PlatformMetricMapping {
  readonly sources: readonly MetricSource[];
  /** Fields computed from others after reading, e.g. Mailchimp deliveries = sends − bounces. */
  readonly derived?: readonly {
    readonly field: MetricField;
    readonly from: readonly [MetricField, MetricField];
    readonly op: 'minus';
  }[];
  /**
   * Fields the platform reports only for some objectives or accounts (revenue without a
   * pixel, video views without video): their absence does not make a day partial.
   * @default []
   */
  readonly optional?: readonly MetricField[];
  /** Reporting zone when rows do not say. @default "UTC" */
  readonly defaultZone?: string;
  /** Trailing days the platform may still revise (attribution, delayed insights). @default 1 */
  readonly settleDays?: number;
}

const count = (field: MetricField, ...keys: string[]): MetricSource => ({
  field,
  keys,
  unit: 'count',
});
const part = (field: MetricField, ...keys: string[]): MetricSource => ({
  field,
  keys,
  unit: 'count',
  role: 'part',
});
const money = (field: MetricField, ...keys: string[]): MetricSource => ({
  field,
  keys,
  unit: 'money',
});
const rate = (
  field: MetricField,
  unit: 'percent' | 'ratio',
  of: MetricField,
  ...keys: string[]
): MetricSource => ({ field, keys, unit, role: 'rate', of });

/** Every platform's table; a platform without metrics (CMS, chat, CDP) has none. */
export const PLATFORM_METRIC_MAPPINGS: Readonly<Partial<Record<Platform, PlatformMetricMapping>>> =
  {
    // sendgrid.md §7: integer counts per bucket, no rates.
    sendgrid: {
      sources: [
        count('sends', 'requests'),
        count('deliveries', 'delivered'),
        count('opens', 'opens'),
        count('unique_opens', 'unique_opens'),
        count('clicks', 'clicks'),
        count('unique_clicks', 'unique_clicks'),
        count('bounces', 'bounces'),
        count('unsubscribes', 'unsubscribes'),
        count('complaints', 'spam_reports'),
      ],
      settleDays: 2,
    },
    // mailchimp.md §7: rates are 0–1 of deliveries; deliveries derived from sends − bounces.
    mailchimp: {
      sources: [
        count('sends', 'emails_sent'),
        part('bounces', 'bounces.hard_bounces', 'hard_bounces'),
        part('bounces', 'bounces.soft_bounces', 'soft_bounces'),
        part('bounces', 'bounces.syntax_errors', 'syntax_errors'),
        count('opens', 'opens.opens_total', 'opens_total'),
        count('unique_opens', 'opens.unique_opens', 'unique_opens'),
        count('clicks', 'clicks.clicks_total', 'clicks_total'),
        count('unique_clicks', 'clicks.unique_subscriber_clicks', 'unique_subscriber_clicks'),
        count('unsubscribes', 'unsubscribed'),
        count('complaints', 'abuse_reports'),
        count('conversions', 'ecommerce.total_orders', 'total_orders'),
        money('revenue', 'ecommerce.total_revenue', 'total_revenue'),
        rate('unique_opens', 'ratio', 'deliveries', 'opens.open_rate', 'open_rate'),
        rate('unique_clicks', 'ratio', 'deliveries', 'clicks.click_rate', 'click_rate'),
      ],
      optional: ['conversions', 'revenue'],
      derived: [{ field: 'deliveries', from: ['sends', 'bounces'], op: 'minus' }],
      settleDays: 2,
    },
    // hubspot.md §7: counters are integers; ratios are percentages 0–100.
    hubspot: {
      sources: [
        count('sends', 'counters.sent', 'sent'),
        count('deliveries', 'counters.delivered', 'delivered'),
        count('unique_opens', 'counters.open', 'open'),
        count('unique_clicks', 'counters.click', 'click'),
        count('bounces', 'counters.bounce', 'bounce'),
        count('unsubscribes', 'counters.unsubscribed', 'unsubscribed'),
        count('complaints', 'counters.spamreport', 'spamreport'),
        rate('deliveries', 'percent', 'sends', 'ratios.deliveredratio', 'deliveredratio'),
        rate('unique_opens', 'percent', 'deliveries', 'ratios.openratio', 'openratio'),
        rate('unique_clicks', 'percent', 'deliveries', 'ratios.clickratio', 'clickratio'),
        rate('bounces', 'percent', 'sends', 'ratios.bounceratio', 'bounceratio'),
        rate(
          'unsubscribes',
          'percent',
          'deliveries',
          'ratios.unsubscribedratio',
          'unsubscribedratio',
        ),
        rate('complaints', 'percent', 'deliveries', 'ratios.spamreportratio', 'spamreportratio'),
      ],
      settleDays: 2,
    },
    // google-ads.md §7: int64 as strings, cost in micros, conversions_value in major units.
    google_ads: {
      sources: [
        count('impressions', 'metrics.impressions', 'impressions'),
        count('clicks', 'metrics.clicks', 'clicks'),
        {
          field: 'spend',
          keys: ['metrics.cost_micros', 'costMicros', 'cost_micros'],
          unit: 'money_micros',
        },
        count('conversions', 'metrics.conversions', 'conversions'),
        money('revenue', 'metrics.conversions_value', 'conversionsValue', 'conversions_value'),
        count('video_views', 'metrics.video_views', 'videoViews', 'video_views'),
        count('engagements', 'metrics.engagements', 'engagements'),
        rate('clicks', 'ratio', 'impressions', 'metrics.ctr', 'ctr'),
      ],
      optional: ['revenue', 'video_views', 'engagements'],
      settleDays: 3,
    },
    // meta-ads.md §7: counts as strings, insights money as decimal strings in major units,
    // dates in the ad account's zone; budgets (write side) are minor units.
    meta_ads: {
      sources: [
        count('impressions', 'impressions'),
        count('reach', 'reach'),
        count('clicks', 'clicks', 'inline_link_clicks'),
        money('spend', 'spend'),
        count(
          'conversions',
          'conversions',
          'actions.purchase',
          'actions.omni_purchase',
          'actions.offsite_conversion.fb_pixel_purchase',
          'actions:purchase',
        ),
        money(
          'revenue',
          'revenue',
          'action_values.purchase',
          'action_values.omni_purchase',
          'action_values.offsite_conversion.fb_pixel_purchase',
          'action_values:purchase',
        ),
        count('engagements', 'actions.post_engagement', 'actions:post_engagement'),
        count('video_views', 'video_views', 'actions.video_view', 'actions:video_view'),
        rate('clicks', 'percent', 'impressions', 'ctr'),
      ],
      optional: ['revenue', 'engagements', 'video_views', 'conversions'],
      settleDays: 3,
    },
    // tiktok-ads.md §7: every value a string; spend in major units; ctr and conversion_rate in
    // percent; stat_time_day in the advertiser's zone.
    tiktok: {
      sources: [
        count('impressions', 'impressions'),
        count('reach', 'reach'),
        count('clicks', 'clicks'),
        money('spend', 'spend'),
        count('conversions', 'conversion', 'conversions'),
        count('video_views', 'video_play_actions', 'video_views'),
        part('engagements', 'likes'),
        part('engagements', 'comments'),
        part('engagements', 'shares'),
        rate('clicks', 'percent', 'impressions', 'ctr'),
        rate('conversions', 'percent', 'clicks', 'conversion_rate'),
        rate('revenue', 'ratio', 'spend', 'total_complete_payment_rate'),
      ],
      optional: ['revenue', 'video_views', 'engagements', 'reach'],
      settleDays: 3,
    },
    // ga4.md §3, §7: metric values are strings, money in major units of metadata.currencyCode,
    // dates YYYYMMDD in the property's zone.
    ga4: {
      sources: [
        count('impressions', 'advertiserAdImpressions'),
        count('clicks', 'advertiserAdClicks'),
        money('spend', 'advertiserAdCost'),
        count('reach', 'activeUsers', 'totalUsers'),
        count('engagements', 'engagedSessions'),
        count('conversions', 'keyEvents', 'conversions', 'ecommercePurchases'),
        money('revenue', 'totalRevenue', 'purchaseRevenue'),
      ],
      // Ad cost, clicks and impressions exist only with linked ad accounts; engaged sessions only
      // when the report asks for them.
      optional: ['impressions', 'clicks', 'spend', 'revenue', 'engagements'],
      settleDays: 2,
    },
    // meta-graph.md §7: integer counts, daily buckets on Pacific time.
    facebook: {
      sources: [
        count('impressions', 'page_media_view', 'post_media_view', 'page_impressions'),
        count(
          'reach',
          'page_total_media_view_unique',
          'post_total_media_view_unique',
          'page_impressions_unique',
        ),
        count('clicks', 'post_clicks', 'page_consumptions'),
        count('engagements', 'page_post_engagements', 'post_engagements'),
        count('video_views', 'post_video_views', 'page_video_views'),
      ],
      // Page rows carry views and engagements, post rows views, reach and clicks.
      optional: ['reach', 'clicks', 'engagements', 'video_views'],
      defaultZone: 'America/Los_Angeles',
      settleDays: 2,
    },
    // instagram.md §4: integer values, delayed up to 48 h; unavailable data is absent.
    instagram: {
      sources: [
        count('impressions', 'views'),
        count('reach', 'reach'),
        count('engagements', 'total_interactions'),
        part('engagements', 'likes'),
        part('engagements', 'comments'),
        part('engagements', 'saved'),
        part('engagements', 'shares'),
        count('video_views', 'ig_reels_video_views', 'video_views'),
      ],
      optional: ['video_views'],
      settleDays: 2,
    },
    // x.md §7: integer counts, UTC.
    x: {
      sources: [
        count(
          'impressions',
          'non_public_metrics.impression_count',
          'organic_metrics.impression_count',
          'public_metrics.impression_count',
          'impression_count',
        ),
        count('clicks', 'non_public_metrics.url_link_clicks', 'url_link_clicks'),
        part('engagements', 'public_metrics.like_count', 'like_count'),
        part('engagements', 'public_metrics.retweet_count', 'retweet_count'),
        part('engagements', 'public_metrics.reply_count', 'reply_count'),
        part('engagements', 'public_metrics.quote_count', 'quote_count'),
        count('video_views', 'playback_0_count'),
      ],
      optional: ['video_views', 'clicks'],
    },
    // linkedin.md §7: integer counts, `engagement` a 0–1 ratio of impressions, UTC.
    linkedin: {
      sources: [
        count('impressions', 'impressionCount'),
        count('reach', 'uniqueImpressionsCount'),
        count('clicks', 'clickCount'),
        part('engagements', 'likeCount'),
        part('engagements', 'commentCount'),
        part('engagements', 'shareCount'),
        part('engagements', 'clickCount'),
        rate('engagements', 'ratio', 'impressions', 'engagement'),
        count('video_views', 'videoViews'),
      ],
      optional: ['video_views', 'reach'],
    },
    // twilio-sms.md §7: per-message statuses counted per day; price negative, in price_unit.
    twilio: {
      sources: [
        // `messages` counts every message of the day; `sent` only those not yet delivered.
        count('sends', 'messages', 'sent'),
        count('deliveries', 'delivered'),
        part('bounces', 'undelivered'),
        part('bounces', 'failed'),
        count('unsubscribes', 'opt_outs', 'optOuts'),
        { field: 'spend', keys: ['price'], unit: 'money_negative' },
      ],
      optional: ['spend', 'unsubscribes'],
    },
    // contentful.md, wordpress.md, segment.md, slack.md, teams.md §7: no metrics.
    contentful: { sources: [] },
    wordpress: { sources: [] },
    segment: { sources: [] },
    slack: { sources: [] },
    teams: { sources: [] },
  };

/** The fields a platform always reports: a row lacking one of them is partial. */
export function expectedFields(mapping: PlatformMetricMapping): readonly MetricField[] {
  const fields = new Set<MetricField>();
  for (const source of mapping.sources) fields.add(source.field);
  for (const derived of mapping.derived ?? []) fields.add(derived.field);
  for (const optional of mapping.optional ?? []) fields.delete(optional);
  return [...fields];
}
