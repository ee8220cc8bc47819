/**
 * Everything an end-to-end scenario needs, the way `herald run` assembles it: the sandbox on a
 * simulated clock, connectors with the sandbox's credentials, a synthetic audience in the
 * segments engine, the compliance gate and a SQLite store — plus the plain-English reader.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CampaignSystem } from '../../src/actors/campaign-system.js';
import { complianceGate } from '../../src/actors/compliance-gate.js';
import { profileAudience } from '../../src/actors/profile-audience.js';
import { campaignFromText } from '../../src/cli/load-campaign.js';
import {
  createConnectorRegistry,
  type ConnectorRegistryOptions,
} from '../../src/connectors/connector-registry.js';
import { sandboxAudience } from '../../src/sandbox/sandbox-audience.js';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/sandbox-credentials.js';
import { startSandbox } from '../../src/sandbox/start-sandbox.js';
import { SimulatedClock } from '../../src/schedule/clock.js';
import type { Profile, ProfileEvent } from '../../src/segments/profile-model.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';

/** "Today" of every scenario, as in the NL sample corpus. */
export const SCENARIO_NOW = Date.parse('2026-11-25T12:00:00Z');

/** Starts a scenario world; `close()` it at the end. */
export async function scenarioWorld(
  options: {
    audienceSize?: number;
    connectors?: Partial<ConnectorRegistryOptions>;
    profiles?: { profiles: Profile[]; events: ProfileEvent[] };
  } = {},
) {
  const clock = new SimulatedClock(SCENARIO_NOW);
  const sandbox = await startSandbox({ clock });
  const dir = await mkdtemp(join(tmpdir(), 'herald-scenario-'));
  const storeFile = join(dir, 'herald.db');
  const store = openSqliteStore(storeFile);
  const { profiles, events } =
    options.profiles ?? sandboxAudience(options.audienceSize ?? 1000, SCENARIO_NOW);
  const connectors = createConnectorRegistry({
    env: SANDBOX_CREDENTIALS,
    sandbox: sandbox.urls,
    clock,
    ...options.connectors,
  });
  const audience = profileAudience(profiles, events);
  const gate = complianceGate(profiles);
  const system = new CampaignSystem({ store, clock, connectors, audience, gate });
  return {
    clock,
    sandbox,
    store,
    storeFile,
    profiles,
    events,
    system,
    connectors,
    audience,
    gate,
    /** Reads an example (or any text) as `herald run` does. */
    async read(file: string) {
      const text = await readFile(join(import.meta.dirname, '../../examples', file), 'utf8');
      return campaignFromText(file, text, SCENARIO_NOW);
    },
    async close() {
      await system.stop();
      await sandbox.close();
      await store.close();
    },
  };
}
