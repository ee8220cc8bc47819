/**
 * @module
 * The composition root of the embedded mode: one campaign run in this process, in the
 * configuration it was launched with (its synthetic audience, its sandbox — embedded or a
 * `herald sandbox` process — and its clock), over the SQLite store under `./.herald/`, holding
 * the campaign's lease: every write is fenced with it and every request to a platform checks
 * it just before it leaves, so a process frozen past its lease cannot send.
 */
import type { AudienceResolver } from '../actors/audience-resolver.js';
import { CampaignMetrics } from '../actors/campaign-metrics.js';
import { CampaignSystem } from '../actors/campaign-system.js';
import { complianceGate } from '../actors/compliance-gate.js';
import { profileAudience } from '../actors/profile-audience.js';
import { createConnectorRegistry } from '../connectors/connector-registry.js';
import { HeraldError } from '../errors.js';
import { integerFlag } from './cli-options.js';
import { openMetricsDatabase } from '../metrics/metrics-database.js';
import { SANDBOX_AUDIENCE_SEED, sandboxAudience } from '../sandbox/sandbox-audience.js';
import { SANDBOX_CREDENTIALS } from '../sandbox/sandbox-credentials.js';
import { SEND_TIME_HEADER, startSandbox, type Sandbox } from '../sandbox/start-sandbox.js';
import type { Profile, ProfileEvent } from '../segments/profile-model.js';
import type { SegmentRegistry } from '../segments/segment-registry.js';
import type { ConnectorRegistry } from '../connectors/connector.js';
import { SimulatedClock, systemClock, type Clock } from '../schedule/clock.js';
import type { Platform } from '../spec/platforms.js';
import {
  RUN_CONFIGURATION_VERSION,
  type GivenConfiguration,
  type RunConfiguration,
} from '../store/run-configuration.js';
import {
  leaseLostError,
  thisProcess,
  type SqliteLease,
  type SqliteLeaseRecord,
} from '../store/sqlite-leases.js';
import type { SqliteHeraldStore } from '../store/sqlite-store.js';
import { SANDBOX_PLATFORMS_PATH } from './sandbox-command.js';

/** How long an embedded runner's lease lasts without a heartbeat (it beats every 500 ms). */
export const EMBEDDED_LEASE_MS = 5_000;

/** Options of {@link startEmbeddedRuntime}. */
export interface EmbeddedRuntimeOptions {
  /** The SQLite store, opened by the command (it closes it). */
  readonly store: SqliteHeraldStore;
  /** Its file, absolute (metrics live next to it). */
  readonly storePath: string;
  /** How the campaign runs. */
  readonly configuration: RunConfiguration;
  /** The campaign's lease, held by this process. */
  readonly lease: SqliteLease;
  /** A project's audience, when the configuration's audience is a project's. */
  readonly audience?: {
    readonly profiles: readonly Profile[];
    readonly events: readonly ProfileEvent[];
    readonly segments?: SegmentRegistry;
  };
  /** Builds a project's connectors (given the sandbox's URLs). @default the sandbox's accounts */
  readonly connectors?: (sandbox: Pick<Sandbox, 'urls'>, clock: Clock) => ConnectorRegistry;
}

/** A running embedded Herald. */
export interface EmbeddedRuntime {
  readonly system: CampaignSystem;
  readonly clock: Clock;
  readonly audience: AudienceResolver;
  readonly configuration: RunConfiguration;
  /** Metrics collection, rules and reports over the same SQLite file. */
  readonly metrics: CampaignMetrics;
  /** Rejects with `lease_lost` when another process takes the campaign over. */
  readonly lost: Promise<never>;
  /** Stops the campaign's actors, releases the lease, closes the sandbox and the store. */
  close(): Promise<void>;
}

/** Starts the sandbox (or finds the external one), the clock and a `CampaignSystem` wired to them. */
export async function startEmbeddedRuntime(
  options: EmbeddedRuntimeOptions,
): Promise<EmbeddedRuntime> {
  const { configuration, lease } = options;
  const raw = options.store;
  const clock =
    configuration.clock.mode === 'real'
      ? systemClock
      : new SimulatedClock(
          await simulatedPosition(raw, lease.campaignId, configuration.clock.startsAt),
        );
  let leaseLost!: (error: Error) => void;
  const lost = new Promise<never>((_, reject) => (leaseLost = reject));
  lost.catch(() => undefined);
  const store = raw.fenced(lease, {
    ttlMs: EMBEDDED_LEASE_MS,
    onLost: () => {
      leaseLost(leaseLostError(lease));
    },
  });
  const embedded =
    configuration.platforms.kind === 'external-sandbox' ? undefined : await startSandbox({ clock });
  const urls = embedded
    ? embedded.urls
    : await externalSandbox(
        configuration.platforms.kind === 'external-sandbox' ? configuration.platforms.url : '',
      );
  const source = configuration.audience;
  if (source.kind === 'project' && !options.audience)
    throw new HeraldError('project_audience', `the audience of ${source.file} was not loaded`);
  const { profiles, events, segments } =
    source.kind === 'sandbox'
      ? { ...sandboxAudience(source.profiles, source.generatedAt, source.seed), segments: {} }
      : options.audience!;
  const connectors = options.connectors
    ? options.connectors({ urls }, clock)
    : createConnectorRegistry({
        env: SANDBOX_CREDENTIALS,
        sandbox: urls,
        clock,
        fetch: fencedFetch(
          () => raw.leases.holds(lease),
          clock,
          () => leaseLostError(lease),
        ),
      });
  const audience = profileAudience(profiles, events, segments);
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
    clock,
    audience,
    configuration,
    metrics,
    lost,
    async close() {
      await system.stop();
      if (raw.leases.holds(lease)) raw.leases.release(lease);
      database.close();
      await embedded?.close();
      await raw.close();
    },
  };
}

/**
 * Where a simulated clock goes on from: the latest instant the campaign's state or journal was
 * written at (its launch instant for a campaign that has not started).
 */
async function simulatedPosition(
  store: SqliteHeraldStore,
  campaignId: string,
  startsAt: number,
): Promise<number> {
  let position = startsAt;
  const envelope = await store.loadSnapshot(campaignId);
  if (envelope) position = Math.max(position, envelope.savedAt);
  for (const entry of await store.journal(campaignId))
    position = Math.max(position, entry.settledAt ?? entry.intentAt);
  return position;
}

/** Each platform's URL, from a `herald sandbox` process's control address. */
async function externalSandbox(url: string): Promise<Partial<Record<Platform, string>>> {
  try {
    const response = await fetch(new URL(SANDBOX_PLATFORMS_PATH, url));
    if (!response.ok) throw new Error(`it answered ${String(response.status)}`);
    return (await response.json()) as Partial<Record<Platform, string>>;
  } catch (error) {
    throw new HeraldError(
      'sandbox_unreachable',
      `the sandbox at ${url} does not answer (${(error as Error).message}); start it with: herald sandbox --port ${new URL(url).port || '80'}`,
    );
  }
}

/**
 * A `fetch` that refuses to send once the lease is lost (checked just before each request
 * leaves) and tells the platform the sender's clock time, so a sandbox can record when a
 * message went out on simulated time.
 */
function fencedFetch(holds: () => boolean, clock: Clock, lostError: () => Error): typeof fetch {
  return (input, init) => {
    if (!holds()) return Promise.reject(lostError());
    const headers = new Headers(init?.headers);
    headers.set(SEND_TIME_HEADER, new Date(clock.now()).toISOString());
    return fetch(input, { ...init, headers });
  };
}

/** The embedded mode's flags that say how a campaign runs. */
export const RUN_CONFIGURATION_FLAGS = {
  'audience-size': { type: 'string' },
  'sandbox-url': { type: 'string' },
  'real-time': { type: 'boolean' },
} as const;

/** What the command line (and `HERALD_SANDBOX_URL`) says about how a campaign runs. */
export function givenConfiguration(
  values: { 'audience-size'?: string; 'sandbox-url'?: string; 'real-time'?: boolean },
  env: Readonly<Record<string, string | undefined>> | undefined,
  startsAt?: number,
): GivenConfiguration {
  const profiles = integerFlag(values['audience-size'], 'audience-size');
  const sandboxUrl = values['sandbox-url'] ?? env?.HERALD_SANDBOX_URL;
  if (sandboxUrl !== undefined && !URL.canParse(sandboxUrl))
    throw new HeraldError(
      'bad_arguments',
      `sandbox URL ${sandboxUrl} is not a URL; use the control address herald sandbox prints`,
    );
  return {
    ...(profiles === undefined ? {} : { audienceProfiles: profiles }),
    ...(sandboxUrl === undefined ? {} : { sandboxUrl }),
    ...(values['real-time'] ? { realTime: true } : {}),
    ...(startsAt === undefined ? {} : { startsAt }),
  };
}

/**
 * The configuration of a new campaign: what was given, the project's audience and accounts
 * when it runs in one (`project` is its `herald.yaml`), embedded defaults for the rest.
 */
export function newConfiguration(
  given: GivenConfiguration,
  storePath: string,
  now: number,
  project?: string,
): RunConfiguration {
  const startsAt = given.startsAt ?? now;
  return {
    version: RUN_CONFIGURATION_VERSION,
    audience:
      project === undefined
        ? {
            kind: 'sandbox',
            profiles: given.audienceProfiles ?? 1000,
            seed: SANDBOX_AUDIENCE_SEED,
            generatedAt: startsAt,
          }
        : { kind: 'project', file: project },
    platforms:
      project !== undefined
        ? { kind: 'project', file: project }
        : given.sandboxUrl === undefined
          ? { kind: 'embedded-sandbox' }
          : { kind: 'external-sandbox', url: given.sandboxUrl },
    clock: given.realTime ? { mode: 'real' } : { mode: 'simulated', startsAt },
    store: { kind: 'sqlite', path: storePath },
  };
}

/** Who got the campaign: this process (its lease) or a live process already running it. */
export type CampaignClaim =
  { readonly lease: SqliteLease } | { readonly runner: SqliteLeaseRecord };

/**
 * Takes a campaign's lease: at once when it is free, lapsed, or held by a process that is gone.
 * While another process holds it, watches it: renewed means that process is alive and runs the
 * campaign (returned as `runner`, within about a heartbeat); lapsed (a frozen process) means it
 * is taken over, within one lease length.
 */
export async function claimCampaign(
  store: SqliteHeraldStore,
  campaignId: string,
): Promise<CampaignClaim> {
  const holder = thisProcess();
  let seen: number | undefined;
  for (;;) {
    const claim = store.leases.acquire(campaignId, holder, EMBEDDED_LEASE_MS);
    if ('lease' in claim) return claim;
    if (seen !== undefined && claim.heldBy.expiresAt !== seen) return { runner: claim.heldBy };
    seen = claim.heldBy.expiresAt;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
