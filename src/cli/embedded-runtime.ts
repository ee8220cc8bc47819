/**
 * @module
 * The composition root of the embedded defaults: the SQLite store under `./.herald/`, every
 * sandbox platform on loopback with the credentials it accepts, a synthetic audience, and a
 * simulated clock unless real time is asked for.
 */
import type { AudienceResolver } from '../actors/audience-resolver.js';
import { CampaignMetrics } from '../actors/campaign-metrics.js';
import { CampaignSystem } from '../actors/campaign-system.js';
import { complianceGate } from '../actors/compliance-gate.js';
import { profileAudience } from '../actors/profile-audience.js';
import type { ConnectorRegistry } from '../connectors/connector.js';
import { createConnectorRegistry } from '../connectors/connector-registry.js';
import { openMetricsDatabase } from '../metrics/metrics-database.js';
import type { Profile, ProfileEvent } from '../segments/profile-model.js';
import type { SegmentRegistry } from '../segments/segment-registry.js';
import { sandboxAudience } from '../sandbox/sandbox-audience.js';
import { SANDBOX_CREDENTIALS } from '../sandbox/sandbox-credentials.js';
import { startSandbox, type Sandbox } from '../sandbox/start-sandbox.js';
import { SimulatedClock, systemClock, type Clock } from '../schedule/clock.js';
import type { HeraldStore } from '../store/herald-store.js';
import { openSqliteStore } from '../store/sqlite-store.js';

/** Options of {@link startEmbeddedRuntime}. */
export interface EmbeddedRuntimeOptions {
  /** SQLite file, absolute. */
  readonly storePath: string;
  /** Wait for real time instead of simulating it. @default false */
  readonly realTime?: boolean;
  /** Start of simulated time, epoch ms. @default now */
  readonly now?: number;
  /** Synthetic sandbox profiles. @default 1000 */
  readonly audienceSize?: number;
  /** A project's audience instead of the synthetic one. @default the synthetic audience */
  readonly audience?: {
    readonly profiles: readonly Profile[];
    readonly events: readonly ProfileEvent[];
    readonly segments?: SegmentRegistry;
  };
  /** Builds a project's connectors (given the embedded sandbox). @default the sandbox's accounts */
  readonly connectors?: (sandbox: Sandbox, clock: Clock) => ConnectorRegistry;
}

/** A running embedded Herald. */
export interface EmbeddedRuntime {
  readonly system: CampaignSystem;
  readonly store: HeraldStore;
  readonly sandbox: Sandbox;
  readonly clock: Clock;
  readonly audience: AudienceResolver;
  readonly audienceSize: number;
  /** Metrics collection, rules and reports over the same SQLite file. */
  readonly metrics: CampaignMetrics;
  close(): Promise<void>;
}

/** Starts the store, the sandbox and a `CampaignSystem` wired to them. */
export async function startEmbeddedRuntime(
  options: EmbeddedRuntimeOptions,
): Promise<EmbeddedRuntime> {
  const now = options.now ?? Date.now();
  const clock = options.realTime ? systemClock : new SimulatedClock(now);
  const store = openSqliteStore(options.storePath);
  const sandbox = await startSandbox({ clock });
  const { profiles, events } =
    options.audience ?? sandboxAudience(options.audienceSize ?? 1000, now);
  const audienceSize = profiles.length;
  const connectors = options.connectors
    ? options.connectors(sandbox, clock)
    : createConnectorRegistry({ env: SANDBOX_CREDENTIALS, sandbox: sandbox.urls, clock });
  const audience = profileAudience(profiles, events, options.audience?.segments);
  const system = new CampaignSystem({
    store,
    clock,
    connectors,
    audience,
    gate: complianceGate(profiles),
    reportText: (id): Promise<string> => metrics.summary(id),
  });
  const database = openMetricsDatabase(options.storePath);
  const metrics: CampaignMetrics = new CampaignMetrics({
    system,
    store,
    connectors,
    database,
    clock,
    audience,
  });
  return {
    system,
    store,
    sandbox,
    clock,
    audience,
    audienceSize,
    metrics,
    async close() {
      await system.stop();
      database.close();
      await sandbox.close();
      await store.close();
    },
  };
}
