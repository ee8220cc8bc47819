/**
 * @module
 * Connectors for cluster workers. Every HTTP request a connector makes (retries included)
 * first takes a grant from the cluster-wide {@link ClusterRateLimiter}, so platform quotas hold
 * across all workers; a request made for a campaign also re-checks that campaign's lease just
 * before it leaves, and a grant older than the limiter's margin is not used. A worker that was
 * frozen past its lease therefore wakes up to a refused request, not a second send.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ActionRequest, Connector, ConnectorRegistry } from '../connectors/connector.js';
import {
  createConnectorRegistry,
  type ConnectorRegistryOptions,
} from '../connectors/connector-registry.js';
import type { ClusterRateLimiter } from './cluster-rate-limiter.js';

/** The campaign a connector call is made for: how to tell its lease still holds. */
export interface CampaignScope {
  readonly stillHeld: () => Promise<boolean>;
  readonly lost: () => Error;
}

/** One connector call: its campaign, and the abort of this call alone. */
interface CallScope extends CampaignScope {
  readonly call: AbortController;
}

/** Hosts of the real platform APIs. */
const PLATFORM_HOSTS: Readonly<Record<string, string>> = {
  'api.sendgrid.com': 'sendgrid',
  'slack.com': 'slack',
};

/** A worker's connectors: one shared registry, viewed per campaign lease. */
export interface ClusterConnectors {
  /** The registry a campaign's `CampaignSystem` uses: its calls are fenced by `scope`. */
  forCampaign(scope: CampaignScope): ConnectorRegistry;
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
      const grantedBy = platform ? await limiter.acquire(platform, signal) : performance.now();
      // Checked after the grant, which may have waited: the lease must hold when the request leaves.
      if (scope && !(await scope.stillHeld())) {
        // Aborting this call's own signal (nothing of it is in flight) makes the HTTP client
        // give up without retrying or counting a platform failure against the circuit.
        scope.call.abort(notSent(scope.lost()));
        throw scope.call.signal.reason;
      }
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

/** The error of a request this worker refused to send (journaled as failed: safe to retry). */
function notSent(reason: Error): Error {
  return new Error(`request not sent: ${reason.message}`, { cause: reason });
}

function scoped(
  connector: Connector,
  scope: CampaignScope,
  scopes: AsyncLocalStorage<CallScope>,
): Connector {
  const run = <T>(request: ActionRequest, work: (request: ActionRequest) => Promise<T>) => {
    const call = new AbortController();
    const signal = request.signal ? AbortSignal.any([request.signal, call.signal]) : call.signal;
    return scopes.run({ ...scope, call }, () => work({ ...request, signal }));
  };
  return {
    ...connector,
    perform: (request) => run(request, (r) => connector.perform(r)),
    reconcile: (request) => run(request, (r) => connector.reconcile(r)),
  };
}
