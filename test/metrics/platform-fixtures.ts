/**
 * Platform-shaped metric rows, as each connector's `fetchMetrics` returns them (native names,
 * units and zones, per the contracts in docs/platforms), and a fake connector serving
 * them, for platforms whose sandbox is not there yet.
 */
import type { Connector, MetricsRequest, MetricsRow } from '../../src/connectors/connector.js';
import type { Platform } from '../../src/spec/platforms.js';

/** One row per platform quirk. */
export const FIXTURE_ROWS = {
  // google-ads.md: int64 as strings, cost in micros, ctr a ratio, account zone.
  google_ads: {
    date: '2026-03-01',
    entity: '111',
    currency: 'USD',
    timeZone: 'America/New_York',
    metrics: {
      impressions: '10000',
      clicks: '250',
      costMicros: '412500000',
      conversions: 12.5,
      conversionsValue: 980.25,
      ctr: 0.025,
      averageCpc: 1650000,
    },
  },
  // meta-ads.md: strings, spend in major units of the account currency, account zone.
  meta_ads: {
    date: '2026-03-01',
    entity: '2385',
    currency: 'EUR',
    timeZone: 'America/Los_Angeles',
    metrics: {
      impressions: '361324',
      clicks: '7346',
      reach: '201000',
      spend: '5339.5',
      'actions:purchase': '93',
      'action_values:purchase': '12001.10',
    },
  },
  // hubspot.md: integer counters and 0–100 ratios.
  hubspot: {
    date: '2026-03-01',
    entity: 'email-42',
    metrics: {
      'counters.sent': 1000,
      'counters.delivered': 980,
      'counters.bounce': 20,
      'counters.unsubscribed': 3,
      'counters.spamreport': 1,
      'ratios.openratio': 62.926,
      'ratios.clickratio': 10.5,
    },
  },
  // tiktok-ads.md: every value a string, percent rates, "YYYY-MM-DD 00:00:00", JPY.
  tiktok: {
    date: '2026-03-01 00:00:00',
    entity: 'cmp-9',
    currency: 'JPY',
    timeZone: 'Asia/Tokyo',
    metrics: {
      spend: '6865',
      impressions: '120000',
      clicks: '1416',
      reach: '90000',
      conversion: '35',
      ctr: '1.18',
      likes: '40',
      comments: '5',
      shares: '7',
      video_play_actions: '5000',
      total_complete_payment_rate: '2.5',
    },
  },
  // ga4.md: values as strings, YYYYMMDD dates, property zone, money in major units.
  ga4: {
    date: '20260301',
    currency: 'EUR',
    timeZone: 'Europe/Paris',
    metrics: {
      activeUsers: '380',
      engagedSessions: '290',
      keyEvents: '17',
      totalRevenue: '1234.5',
    },
  },
  // mailchimp.md: 0–1 rates, deliveries derived from sends − bounces.
  mailchimp: {
    date: '2026-03-01',
    entity: 'mc-1',
    metrics: {
      emails_sent: 2000,
      'bounces.hard_bounces': 10,
      'bounces.soft_bounces': 25,
      'bounces.syntax_errors': 5,
      'opens.opens_total': 900,
      'opens.open_rate': 0.27,
      'clicks.clicks_total': 140,
      'clicks.unique_subscriber_clicks': 90,
      unsubscribed: 4,
      abuse_reports: 1,
    },
  },
  // twilio-sms.md: negative prices in price_unit.
  twilio: {
    date: '2026-03-01',
    currency: 'USD',
    metrics: { sent: 500, delivered: 480, undelivered: 12, failed: 8, price: '-3.95' },
  },
  // meta-graph.md: Pacific-time buckets, integer counts.
  facebook: {
    date: '2026-03-01',
    entity: 'page-1',
    metrics: {
      page_media_view: 5000,
      page_total_media_view_unique: 3100,
      page_post_engagements: 420,
    },
  },
  instagram: {
    date: '2026-03-01',
    entity: 'media-1',
    metrics: { views: 1500, reach: 1200, likes: 80, comments: 9, saved: 4, shares: 3 },
  },
  x: {
    date: '2026-03-01',
    entity: '1460323737035677698',
    metrics: {
      'non_public_metrics.impression_count': 512,
      'non_public_metrics.url_link_clicks': 7,
      'public_metrics.like_count': 10,
      'public_metrics.retweet_count': 2,
      'public_metrics.reply_count': 1,
      'public_metrics.quote_count': 0,
    },
  },
  linkedin: {
    date: '2026-03-01',
    entity: 'urn:li:share:1',
    metrics: {
      impressionCount: 300,
      uniqueImpressionsCount: 120,
      clickCount: 12,
      engagement: 0.08,
    },
  },
} as const satisfies Partial<Record<Platform, MetricsRow>>;

/** Options of {@link fakeMetricsConnector}. */
export interface FakeMetricsOptions {
  /** Rows for a request. */
  readonly rows: (request: MetricsRequest) => readonly MetricsRow[];
  /** Errors thrown by the first calls, in order. @default [] */
  readonly failures?: Error[];
  /** Called at each fetch, e.g. to count concurrency. */
  readonly onFetch?: (request: MetricsRequest) => Promise<void> | void;
}

/** A connector that serves metric rows from a function. */
export function fakeMetricsConnector(
  platform: Platform,
  options: FakeMetricsOptions,
): Connector & {
  readonly requests: MetricsRequest[];
} {
  const requests: MetricsRequest[] = [];
  const failures = [...(options.failures ?? [])];
  return {
    platform,
    capabilities: ['fetch_metrics'],
    maxBatchSize: 1,
    requests,
    perform: () => Promise.reject(new Error('not used')),
    reconcile: () => Promise.resolve({ status: 'not_found' }),
    async fetchMetrics(request) {
      requests.push(request);
      await options.onFetch?.(request);
      const failure = failures.shift();
      if (failure !== undefined) throw failure;
      return options.rows(request);
    },
  };
}

/** One row per day of `from`..`to`, from `metricsOf(day)`. */
export function dailyRows(
  request: MetricsRequest,
  metricsOf: (day: string) => MetricsRow['metrics'] | undefined,
  extra: Omit<MetricsRow, 'date' | 'metrics'> = {},
): MetricsRow[] {
  const rows: MetricsRow[] = [];
  for (
    let t = Date.parse(`${request.from}T00:00:00Z`);
    t <= Date.parse(`${request.to}T00:00:00Z`);
    t += 86_400_000
  ) {
    const date = new Date(t).toISOString().slice(0, 10);
    const metrics = metricsOf(date);
    if (metrics) rows.push({ date, metrics, ...extra });
  }
  return rows;
}
