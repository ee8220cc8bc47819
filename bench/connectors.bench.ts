/**
 * Connector benchmark. (1) Sustained throughput per platform against its sandbox at the
 * platform's quota, on simulated time shared by connector and sandbox, with the number of
 * requests that exceeded the quota in any rolling window measured from the sandbox log.
 * (2) Framework overhead per request versus a bare `fetch` to the same sandbox endpoint in
 * the same run, in real time.
 */
import { performance } from 'node:perf_hooks';
import type { ActionRequest } from '../src/connectors/connector.js';
import { createConnectorRegistry } from '../src/connectors/connector-registry.js';
import { SENDGRID_QUOTA } from '../src/connectors/sendgrid/sendgrid-connector.js';
import { SLACK_POST_QUOTA } from '../src/connectors/slack/slack-connector.js';
import { CONTENTFUL_QUOTA } from '../src/connectors/contentful/contentful-connector.js';
import { FACEBOOK_QUOTA } from '../src/connectors/facebook/facebook-connector.js';
import { INSTAGRAM_PUBLISH_QUOTA } from '../src/connectors/instagram/instagram-connector.js';
import { LINKEDIN_POST_QUOTA } from '../src/connectors/linkedin/linkedin-connector.js';
import { TEAMS_QUOTAS } from '../src/connectors/teams/teams-connector.js';
import { WORDPRESS_QUOTA } from '../src/connectors/wordpress/wordpress-connector.js';
import { X_POST_QUOTA } from '../src/connectors/x/x-connector.js';
import { GOOGLE_ADS_QUOTAS } from '../src/connectors/google-ads/google-ads-connector.js';
import { HUBSPOT_QUOTA } from '../src/connectors/hubspot/hubspot-connector.js';
import { MAILCHIMP_QUOTA } from '../src/connectors/mailchimp/mailchimp-connector.js';
import { META_ADS_DEV_QUOTA } from '../src/connectors/meta-ads/meta-ads-connector.js';
import { TIKTOK_QUOTA } from '../src/connectors/tiktok/tiktok-connector.js';
import { TWILIO_QUOTA } from '../src/connectors/twilio/twilio-connector.js';
import { SimulatedClock } from '../src/schedule/clock.js';
import { excessOverQuota, maxInRollingWindow } from '../src/sandbox/sliding-window.js';
import { startSandbox } from '../src/sandbox/start-sandbox.js';
import type { Platform } from '../src/spec/platforms.js';

const env = {
  SENDGRID_API_KEY: 'SG.bench',
  SENDGRID_FROM_EMAIL: 'news@acme.test',
  SLACK_BOT_TOKEN: 'xoxb-bench',
  WORDPRESS_USERNAME: 'bench',
  WORDPRESS_APP_PASSWORD: 'abcd efgh ijkl mnop qrst uvwx',
  LINKEDIN_ACCESS_TOKEN: 'AQbench',
  LINKEDIN_AUTHOR_URN: 'urn:li:organization:1',
  X_ACCESS_TOKEN: 'x-user-bench',
  META_PAGE_ACCESS_TOKEN: 'EAAbench',
  META_PAGE_ID: '104000000000001',
  META_APP_SECRET: 'bench-secret',
  INSTAGRAM_ACCESS_TOKEN: 'EAAbench-ig',
  INSTAGRAM_USER_ID: '17841400000000001',
  TEAMS_WEBHOOK_URL:
    'https://bench.webhook.office.com/webhookb2/g@t/IncomingWebhook/0123456789abcdef0123456789abcdef/bench',
  CONTENTFUL_MANAGEMENT_TOKEN: 'CFPAT-bench',
  CONTENTFUL_SPACE_ID: 'bench',
  CONTENTFUL_URL_TEMPLATE: 'https://bench.test/{slug}',
  TWILIO_ACCOUNT_SID: 'ACbench00000000000000000000000000',
  TWILIO_AUTH_TOKEN: 'bench-auth-token',
  TWILIO_FROM: '+15017122661',
  META_ADS_ACCESS_TOKEN: 'EAAbench-ads',
  META_ADS_ACCOUNT_ID: '1000000000',
  GOOGLE_ADS_CUSTOMER_ID: '1234567890',
  GOOGLE_ADS_CLIENT_ID: 'bench.apps.googleusercontent.com',
  GOOGLE_ADS_CLIENT_SECRET: 'bench-secret',
  GOOGLE_ADS_REFRESH_TOKEN: '1//bench',
  MAILCHIMP_API_KEY: '00000000000000000000000000000000-us1',
  MAILCHIMP_LIST_ID: 'a1b2c3d4e5',
  MAILCHIMP_FROM_NAME: 'Bench',
  MAILCHIMP_REPLY_TO: 'news@acme.test',
  TIKTOK_ACCESS_TOKEN: 'bench-tiktok',
  TIKTOK_ADVERTISER_ID: '7000000000000000001',
  HUBSPOT_ACCESS_TOKEN: 'pat-bench',
};

/** Request fields of the send, ad and audience platforms, per request number. */
const SENDERS: Partial<Record<Platform, (n: number) => Partial<ActionRequest>>> = {
  twilio: (n) => ({
    action: 'sms',
    recipients: [{ id: `r${n}`, phone: `+1415555${String(n % 10_000).padStart(4, '0')}` }],
  }),
  meta_ads: () => ({ action: 'ad_pause', options: { campaignId: '120210000000000001' } }),
  google_ads: () => ({ action: 'ad_pause', options: { campaignId: '111' } }),
  tiktok: () => ({ action: 'ad_pause', options: { campaignId: '1800000000000001' } }),
  mailchimp: (n) => ({
    action: 'audience_sync',
    recipients: [{ id: `r${n}`, email: `r${n}@x.test` }],
  }),
  hubspot: (n) => ({
    action: 'audience_sync',
    recipients: [{ id: `r${n}`, email: `r${n}@x.test` }],
  }),
};

/** Action and content of a benchmark request per platform (SendGrid's and Slack's below). */
const PUBLISHERS: Partial<Record<Platform, Pick<ActionRequest, 'action' | 'content'>>> = {
  wordpress: {
    action: 'publish',
    content: { title: 'Bench', html: '<p>Hi</p>', mediaUrls: [], variants: [] },
  },
  contentful: {
    action: 'publish',
    content: { title: 'Bench', text: 'Hi', mediaUrls: [], variants: [] },
  },
  teams: { action: 'notify', content: { text: 'Hello', mediaUrls: [], variants: [] } },
  linkedin: { action: 'post', content: { text: 'Hello', mediaUrls: [], variants: [] } },
  x: { action: 'post', content: { text: 'Hello', mediaUrls: [], variants: [] } },
  facebook: { action: 'post', content: { text: 'Hello', mediaUrls: [], variants: [] } },
  instagram: {
    action: 'post',
    content: { text: 'Hello', mediaUrls: ['https://cdn.bench.test/a.jpg'], variants: [] },
  },
};

let serial = 0;
function request(platform: Platform): ActionRequest {
  serial++;
  const sender = SENDERS[platform];
  if (sender) {
    return {
      campaignId: 'bench',
      stepId: 's',
      platform,
      action: 'notify',
      content: { text: `Hello ${serial}`, mediaUrls: [], variants: [] },
      options: {},
      currency: 'EUR',
      recipients: [],
      idempotencyKey: `k${serial}`,
      ...sender(serial),
    };
  }
  const publisher = PUBLISHERS[platform];
  if (publisher) {
    return {
      campaignId: 'bench',
      stepId: 's',
      platform,
      ...publisher,
      // Unique text: X, LinkedIn and Facebook refuse duplicates.
      content: { ...publisher.content, text: `${publisher.content.text ?? ''} ${serial}` },
      options: {},
      currency: 'EUR',
      recipients: [],
      idempotencyKey: `k${serial}`,
    };
  }
  return platform === 'sendgrid'
    ? {
        campaignId: 'bench',
        stepId: 's',
        platform,
        action: 'email',
        content: { subject: 'Hi', text: 'Hello', mediaUrls: [], variants: [] },
        options: {},
        currency: 'EUR',
        recipients: [{ id: `r${serial}`, email: `r${serial}@x.test` }],
        idempotencyKey: `k${serial}`,
      }
    : {
        campaignId: 'bench',
        stepId: 's',
        platform,
        action: 'notify',
        content: { text: 'Hello', channel: 'C1', mediaUrls: [], variants: [] },
        options: {},
        currency: 'EUR',
        recipients: [],
        idempotencyKey: `k${serial}`,
      };
}

async function pool(
  count: number,
  concurrency: number,
  work: () => Promise<unknown>,
): Promise<void> {
  let left = count;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (left > 0) {
        left--;
        await work();
      }
    }),
  );
}

async function throughput(
  platform: Platform,
  quota: { limit: number; windowMs: number },
  windows: number,
  /** Requests that count against `quota` (e.g. only Instagram's publications). @default all */
  counts: (path: string) => boolean = () => true,
) {
  const clock = new SimulatedClock(Date.parse('2026-11-25T00:00:00Z'));
  const sandbox = await startSandbox({ platforms: [platform], clock });
  const registry = createConnectorRegistry({ env, clock, sandbox: sandbox.urls });
  const connector = registry.get(platform);
  const count = quota.limit * windows;
  const started = performance.now();
  await pool(count, 32, () => connector.perform(request(platform)));
  const realMs = performance.now() - started;
  const times = sandbox
    .received(platform)
    .filter((r) => counts(r.path))
    .map((r) => r.at);
  await sandbox.close();
  const spanMs = times.at(-1)! - times[0]!;
  const achieved = ((times.length - 1) / spanMs) * quota.windowMs;
  return {
    quota: `${quota.limit} per ${quota.windowMs} ms`,
    requests: times.length,
    simulatedSpanMs: spanMs,
    sustainedPerWindow: Math.round(achieved * 10) / 10,
    ratioToQuota: Math.round((achieved / quota.limit) * 1000) / 1000,
    maxInAnyRollingWindow: maxInRollingWindow(times, quota.windowMs),
    requestsOverQuota: excessOverQuota(times, quota.limit, quota.windowMs),
    rejected429: sandbox.received(platform).filter((r) => r.status === 429).length,
    realMs: Math.round(realMs),
  };
}

/**
 * Every platform at once on one simulated clock for `minutes`: the aggregate requests per
 * simulated minute (bounded by the sum of the quotas) and per real minute (the framework's
 * capacity), with the requests over any platform's quota.
 */
async function aggregate(
  minutes: number,
  platforms: readonly { platform: Platform; quota: { limit: number; windowMs: number } }[],
) {
  const start = Date.parse('2026-11-25T00:00:00Z');
  const end = start + minutes * 60_000;
  const clock = new SimulatedClock(start);
  const sandbox = await startSandbox({ platforms: platforms.map((p) => p.platform), clock });
  const registry = createConnectorRegistry({ env, clock, sandbox: sandbox.urls });
  const started = performance.now();
  await Promise.all(
    platforms.map(async ({ platform }) => {
      const connector = registry.get(platform);
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (clock.now() < end)
            await connector.perform(request(platform)).catch(() => undefined);
        }),
      );
    }),
  );
  const realMs = performance.now() - started;
  let total = 0;
  let over = 0;
  for (const { platform, quota } of platforms) {
    const times = sandbox
      .received(platform)
      .filter((r) => r.at < end)
      .map((r) => r.at);
    total += times.length;
    over += excessOverQuota(times, quota.limit, quota.windowMs);
  }
  await sandbox.close();
  return {
    platforms: platforms.length,
    simulatedMinutes: minutes,
    requests: total,
    requestsPerSimulatedMinute: Math.round(total / minutes),
    requestsPerRealMinute: Math.round((total / realMs) * 60_000),
    seedRequirementPerMinute: 100,
    requestsOverQuota: over,
    realMs: Math.round(realMs),
  };
}

async function overhead(rounds: number) {
  const clock = new SimulatedClock(Date.parse('2026-11-25T00:00:00Z'));
  const sandbox = await startSandbox({ platforms: ['sendgrid'], clock });
  const registry = createConnectorRegistry({ env, clock, sandbox: sandbox.urls });
  const connector = registry.get('sendgrid');
  const url = `${sandbox.urls.sendgrid!}/v3/mail/send`;
  const bare = async (): Promise<void> => {
    const r = request('sendgrid');
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${env.SENDGRID_API_KEY}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        personalizations: [{ to: [{ email: r.recipients[0]!.email }] }],
        from: { email: env.SENDGRID_FROM_EMAIL },
        subject: 'Hi',
        content: [{ type: 'text/plain', value: 'Hello' }],
        custom_args: { herald_key: r.idempotencyKey },
      }),
    });
    await response.text();
  };
  const framework = async (): Promise<void> => {
    await connector.perform(request('sendgrid'));
  };
  const samples = { bare: [] as number[], framework: [] as number[] };
  for (let round = 0; round < rounds; round++) {
    // Each round stays under the sandbox quota: the clock moves a full window between rounds.
    clock.advanceBy(SENDGRID_QUOTA.windowMs + 1);
    for (const [name, work] of [
      ['bare', bare],
      ['framework', framework],
    ] as const) {
      const n = 200;
      const started = performance.now();
      for (let i = 0; i < n; i++) await work();
      samples[name].push((performance.now() - started) / n);
      clock.advanceBy(SENDGRID_QUOTA.windowMs + 1);
    }
  }
  await sandbox.close();
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const bareMs = median(samples.bare);
  const frameworkMs = median(samples.framework);
  return {
    requestsPerSample: 200,
    samples: rounds,
    bareFetchMsPerRequest: Math.round(bareMs * 1000) / 1000,
    frameworkMsPerRequest: Math.round(frameworkMs * 1000) / 1000,
    ratio: Math.round((frameworkMs / bareMs) * 100) / 100,
  };
}

/** Runs the connector benchmark. */
export default async function run(): Promise<Record<string, unknown>> {
  return {
    throughput: {
      sendgrid: await throughput('sendgrid', SENDGRID_QUOTA, 4),
      slack: await throughput('slack', SLACK_POST_QUOTA, 10),
      wordpress: await throughput('wordpress', WORDPRESS_QUOTA, 3),
      linkedin: await throughput('linkedin', LINKEDIN_POST_QUOTA, 2),
      x: await throughput('x', X_POST_QUOTA, 2, (path) => path === '/2/tweets'),
      facebook: await throughput('facebook', FACEBOOK_QUOTA, 2),
      instagram: await throughput('instagram', INSTAGRAM_PUBLISH_QUOTA, 3, (path) =>
        path.endsWith('/media_publish'),
      ),
      teams: await throughput('teams', TEAMS_QUOTAS[2]!, 2),
      contentful: await throughput('contentful', CONTENTFUL_QUOTA, 20),
      twilio: await throughput('twilio', TWILIO_QUOTA, 4),
      meta_ads: await throughput('meta_ads', META_ADS_DEV_QUOTA, 3),
      google_ads: await throughput('google_ads', GOOGLE_ADS_QUOTAS.explorer!, 1, (path) =>
        path.endsWith(':mutate'),
      ),
      mailchimp: await throughput('mailchimp', MAILCHIMP_QUOTA, 2),
      tiktok: await throughput('tiktok', TIKTOK_QUOTA, 2),
      hubspot: await throughput('hubspot', HUBSPOT_QUOTA, 5),
    },
    aggregate: await aggregate(5, [
      { platform: 'sendgrid', quota: SENDGRID_QUOTA },
      { platform: 'slack', quota: SLACK_POST_QUOTA },
      { platform: 'wordpress', quota: WORDPRESS_QUOTA },
      { platform: 'contentful', quota: CONTENTFUL_QUOTA },
      { platform: 'twilio', quota: TWILIO_QUOTA },
      { platform: 'mailchimp', quota: MAILCHIMP_QUOTA },
      { platform: 'tiktok', quota: TIKTOK_QUOTA },
      { platform: 'hubspot', quota: HUBSPOT_QUOTA },
      { platform: 'facebook', quota: FACEBOOK_QUOTA },
    ]),
    overheadVsBareFetch: await overhead(5),
  };
}
