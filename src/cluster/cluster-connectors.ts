/**
 * @module
 * Connectors for cluster workers. Every HTTP request a connector makes (retries included)
 * first takes a grant from the cluster-wide {@link ClusterRateLimiter}, so platform quotas hold
 * across all workers; a request made for a campaign also re-checks that campaign's lease just
 * before it leaves, and a grant older than the limiter's margin is not used. A worker that was
 * frozen past its lease therefore wakes up to a refused request, not a second send.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Connector, ConnectorRegistry } from '../connectors/connector.js';
import {
  createConnectorRegistry,
  type ConnectorRegistryOptions,
} from '../connectors/connector-registry.js';
import type { ClusterRateLimiter } from './cluster-rate-limiter.js';

/** The campaign a connector call is made for: how to tell its lease still holds. */
interface CallScope {
  readonly stillHeld: () => Promise<boolean>;
  readonly lost: () => Error;
}

/** Hosts of the real platform APIs. */
const PLATFORM_HOSTS: Readonly<Record<string, string>> = {
  'api.sendgrid.com': 'sendgrid',
  'slack.com': 'slack',
};

/** A worker's connectors: one shared registry, viewed per campaign lease. */
export interface ClusterConnectors {
  /** The registry a campaign's `CampaignSystem` uses: its calls are fenced by `scope`. */
  forCampaign(scope: CallScope): ConnectorRegistry;
}

/**
 * Builds the worker's registry over a `fetch` that takes cluster-wide grants.
 * @example
 * const connectors = createClusterConnectors({ env: process.env }, limiter);
 * const registry = connectors.forCampaign({ stillHeld, lost });
 */
export function createClusterConnectors(
  options: ConnectorRegistryOptions,
  limiter: ClusterRateLimiter,
): ClusterConnectors {
  const scopes = new AsyncLocalStorage<CallScope>();
  const byOrigin = new Map<string, string>(
    Object.entries(options.sandbox ?? {}).flatMap(([platform, url]) =>
      url ? [[new URL(url).origin, platform] as const] : [],
    ),
  );
  const base = options.fetch ?? globalThis.fetch;
  const platformOf = (url: URL): string | undefined =>
    byOrigin.get(url.origin) ?? PLATFORM_HOSTS[url.hostname];

  const clusterFetch: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input);
    const platform = platformOf(url);
    const scope = scopes.getStore();
    const signal = init?.signal ?? undefined;
    for (;;) {
      if (scope && !(await scope.stillHeld())) throw scope.lost();
      const grantedBy = platform ? await limiter.acquire(platform, signal) : performance.now();
      // A grant held too long (a slow event loop, a frozen process) could land in a later window.
      if (performance.now() - grantedBy <= limiter.marginMs) return base(input, init);
    }
  };

  const registry = createConnectorRegistry({ ...options, fetch: clusterFetch });
  return {
    forCampaign(scope) {
      return {
        get(platform) {
          return scoped(registry.get(platform), scope, scopes);
        },
      };
    },
  };
}

function scoped(
  connector: Connector,
  scope: CallScope,
  scopes: AsyncLocalStorage<CallScope>,
): Connector {
  return {
    ...connector,
    platform: connector.platform,
    capabilities: connector.capabilities,
    maxBatchSize: connector.maxBatchSize,
    perform: (request) => scopes.run(scope, () => connector.perform(request)),
    reconcile: (request) => scopes.run(scope, () => connector.reconcile(request)),
  };
}
