/**
 * @module
 * `createConnectorRegistry`: resolves generic channels (`email`, `sms`, `cms`) to providers and
 * builds one connector per platform, lazily, from {@link CONNECTOR_FACTORIES}. Adding a
 * platform is one row in that table.
 */
import type { OutboundPolicy } from '../compliance/ssrf-guard.js';
import { ConfigurationError } from '../errors.js';
import { systemClock, type Clock } from '../schedule/clock.js';
import { DEFAULT_PROVIDER, type Platform } from '../spec/platforms.js';
import type { Connector, ConnectorRegistry } from './connector.js';
import type { PlatformConfig } from './connector-credentials.js';
import type { ConnectorDeps } from './connector-deps.js';
import { createGa4Connector } from './ga4/ga4-connector.js';
import { createGoogleAdsConnector } from './google-ads/google-ads-connector.js';
import { createHubSpotConnector } from './hubspot/hubspot-connector.js';
import { createLinkedInConnector } from './linkedin/linkedin-connector.js';
import { QuotaLimiter } from './quota-limiter.js';
import type { TransportRetryPolicy } from './retry-policy.js';
import { createMailchimpConnector } from './mailchimp/mailchimp-connector.js';
import { createMetaAdsConnector } from './meta-ads/meta-ads-connector.js';
import { createSegmentConnector } from './segment/segment-connector.js';
import { createSendGridConnector } from './sendgrid/sendgrid-connector.js';
import { createSlackConnector } from './slack/slack-connector.js';
import { createContentfulConnector } from './contentful/contentful-connector.js';
import { createTeamsConnector } from './teams/teams-connector.js';
import { createInstagramConnector } from './instagram/instagram-connector.js';
import { createFacebookConnector } from './facebook/facebook-connector.js';
import { createTikTokConnector } from './tiktok/tiktok-connector.js';
import { createXConnector } from './x/x-connector.js';
import { createTwilioConnector } from './twilio/twilio-connector.js';
import { createWordPressConnector } from './wordpress/wordpress-connector.js';

/** Builds one platform's connector. */
export type ConnectorFactory = (deps: ConnectorDeps) => Connector;

/** A concrete platform (not a generic channel). */
export type ConcretePlatform = Exclude<Platform, keyof DEFAULT_PROVIDER>;

/** Platform → factory. Next platforms add a row here. */
export const CONNECTOR_FACTORIES: Readonly<Partial<Record<ConcretePlatform, ConnectorFactory>>> = {
  ga4: createGa4Connector,
  google_ads: createGoogleAdsConnector,
  hubspot: createHubSpotConnector,
  mailchimp: createMailchimpConnector,
  meta_ads: createMetaAdsConnector,
  segment: createSegmentConnector,
  sendgrid: createSendGridConnector,
  slack: createSlackConnector,
  contentful: createContentfulConnector,
  teams: createTeamsConnector,
  instagram: createInstagramConnector,
  facebook: createFacebookConnector,
  tiktok: createTikTokConnector,
  x: createXConnector,
  linkedin: createLinkedInConnector,
  twilio: createTwilioConnector,
  wordpress: createWordPressConnector,
};

/** Options of {@link createConnectorRegistry}. */
export interface ConnectorRegistryOptions {
  /** Environment variables with credentials. @default {} */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Per-platform settings (credentials, `baseUrl`…), winning over `env`; the `providers`
   * key maps generic channels to providers, e.g. `{ email: 'mailchimp' }`. @default {}
   */
  readonly config?: Readonly<Partial<Record<Platform, PlatformConfig>>> & {
    readonly providers?: Readonly<Partial<Record<keyof DEFAULT_PROVIDER, ConcretePlatform>>>;
  };
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** @default systemClock */
  readonly clock?: Clock;
  /**
   * Base URL per platform, e.g. `(await startSandbox()).urls`; their origins are the only
   * loopback or private addresses connectors may call. @default the real APIs
   */
  readonly sandbox?: Readonly<Partial<Record<Platform, string>>>;
  /**
   * Where connectors may send requests. Every URL — the platform APIs, webhook URLs, base
   * URLs from settings — must reach public addresses over https; origins in `allowlist` (and
   * the `sandbox` origins) are exempt. @default {}
   */
  readonly outbound?: OutboundPolicy;
  /** Overrides the factory table, e.g. in tests. @default CONNECTOR_FACTORIES */
  readonly factories?: Readonly<Partial<Record<ConcretePlatform, ConnectorFactory>>>;
  /** Transport retry policy of every connector. @default DEFAULT_RETRY_POLICY */
  readonly retry?: Partial<TransportRetryPolicy>;
  /** @default Math.random */
  readonly random?: () => number;
  /** Transport timeout in real ms. @default 30_000 */
  readonly timeoutMs?: number;
  /** Consecutive failures that open a circuit. @default 5 */
  readonly failureThreshold?: number;
  /** Open-circuit cool-down in clock ms. @default 30_000 */
  readonly resetTimeoutMs?: number;
}

/**
 * Creates the registry the runtime asks for connectors.
 * @example
 * const sandbox = await startSandbox();
 * const registry = createConnectorRegistry({ env: process.env, sandbox: sandbox.urls, clock });
 * await registry.get('email').perform(request); // SendGrid
 */
export function createConnectorRegistry(options: ConnectorRegistryOptions = {}): ConnectorRegistry {
  const clock = options.clock ?? systemClock;
  const limiter = new QuotaLimiter(clock);
  const factories = options.factories ?? CONNECTOR_FACTORIES;
  const built = new Map<ConcretePlatform, Connector>();
  const { providers, ...config } = options.config ?? {};
  const outbound: OutboundPolicy = {
    ...options.outbound,
    allowlist: [
      ...(options.outbound?.allowlist ?? []),
      ...Object.values(options.sandbox ?? {}).map((url) => new URL(url).origin),
    ],
  };

  return {
    get(platform: Platform): Connector {
      const concrete = resolvePlatform(platform, providers ?? {});
      const existing = built.get(concrete);
      if (existing) return existing;
      const factory = factories[concrete];
      if (!factory) {
        throw new ConfigurationError(
          'unknown_platform',
          `no connector for ${concrete}; known: ${Object.keys(factories).join(', ')}`,
        );
      }
      const baseUrl = options.sandbox?.[concrete];
      const connector = factory({
        clock,
        limiter,
        config,
        outbound,
        ...(options.env ? { env: options.env } : {}),
        ...(baseUrl ? { baseUrl } : {}),
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(options.retry ? { retry: options.retry } : {}),
        ...(options.random ? { random: options.random } : {}),
        ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
        ...(options.failureThreshold ? { failureThreshold: options.failureThreshold } : {}),
        ...(options.resetTimeoutMs ? { resetTimeoutMs: options.resetTimeoutMs } : {}),
      });
      built.set(concrete, connector);
      return connector;
    },
  };
}

/** Resolves a generic channel to its provider; concrete platforms pass through. */
export function resolvePlatform(
  platform: Platform,
  providers: Readonly<Partial<Record<keyof DEFAULT_PROVIDER, ConcretePlatform>>> = {},
): ConcretePlatform {
  if (platform === 'email' || platform === 'sms' || platform === 'cms') {
    return providers[platform] ?? DEFAULT_PROVIDER[platform];
  }
  return platform;
}
