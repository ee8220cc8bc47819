/**
 * @module
 * Connectors for cluster workers. Every HTTP request a connector makes (retries included)
 * first takes a grant from the cluster-wide {@link ClusterRateLimiter}, so platform quotas hold
 * across all workers; a request made for a campaign then records a dispatch mark for its call
 * under the campaign's lease (refused when the lease is gone), and a grant older than the
 * limiter's margin is not used. A worker that was frozen past its lease therefore wakes up to
 * a refused request, not a second send; and a worker taking a campaign over can tell an
 * interrupted call that never left (no mark: safe to send) from one that may have reached the
 * platform (asked of the platform, usually an unknown outcome).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type {
  ActionRequest,
  Connector,
  ConnectorRegistry,
  Reconciliation,
} from '../connectors/connector.js';
import {
  createConnectorRegistry,
  type ConnectorRegistryOptions,
} from '../connectors/connector-registry.js';
import type { ClusterRateLimiter } from './cluster-rate-limiter.js';

/** The campaign a connector call is made for, under its lease. */
export interface CampaignScope {
  /** True while the lease holds. */
  readonly stillHeld: () => Promise<boolean>;
  /**
   * Records, under the lease, that call `key` is leaving now; false when the lease is lost.
   */
  readonly dispatch: (key: string) => Promise<boolean>;
  /** True when call `key` was ever dispatched by any worker. */
  readonly dispatched: (key: string) => Promise<boolean>;
  readonly lost: () => Error;
}

/** One connector call: its campaign, platform, key when it performs, and its own abort. */
interface CallScope extends CampaignScope {
  readonly call: AbortController;
  readonly key: string | undefined;
  readonly platform: string;
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
    const scope = scopes.getStore();
    const platform = scope?.platform ?? platformOf(url);
    const signal = init?.signal ?? undefined;
    for (;;) {
      const grantedBy = platform ? await limiter.acquire(platform, signal) : performance.now();
      // Checked after the grant, which may have waited: the lease must hold when the request leaves.
      const held = scope
        ? await (scope.key === undefined ? scope.stillHeld() : scope.dispatch(scope.key))
        : true;
      if (scope && !held) {
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
  const run = <T>(
    request: ActionRequest,
    key: string | undefined,
    work: (request: ActionRequest) => Promise<T>,
  ) => {
    const call = new AbortController();
    const signal = request.signal ? AbortSignal.any([request.signal, call.signal]) : call.signal;
    return scopes.run({ ...scope, call, key, platform: connector.platform }, () =>
      work({ ...request, signal }),
    );
  };
  return {
    ...connector,
    perform: (request) => run(request, request.idempotencyKey, (r) => connector.perform(r)),
    async reconcile(request): Promise<Reconciliation> {
      // Every request of a call is marked before it leaves: without a mark, nothing was sent.
      if (!(await scope.dispatched(request.idempotencyKey))) return { status: 'not_found' };
      return run(request, undefined, (r) => connector.reconcile(r));
    },
  };
}
