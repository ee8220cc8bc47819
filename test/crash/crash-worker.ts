/**
 * The process the crash test kills: runs (or resumes) one large campaign against sandbox URLs
 * passed by its parent, with its state in a SQLite file, and prints the final report as JSON.
 * Usage: node --import tsx crash-worker.ts <store.db> <urls-json> <recipients>
 */
import { staticAudience } from '../../src/actors/audience-resolver.js';
import { unsafeNoComplianceGate } from '../../src/actors/delivery-gate.js';
import { CampaignSystem } from '../../src/actors/campaign-system.js';
import { createConnectorRegistry } from '../../src/connectors/connector-registry.js';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/sandbox-credentials.js';
import { systemClock } from '../../src/schedule/clock.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { crashSpec, crashRecipients } from './crash-campaign.js';

const [storePath, urls, count] = process.argv.slice(2) as [string, string, string];
const store = openSqliteStore(storePath);
const connectors = createConnectorRegistry({
  env: SANDBOX_CREDENTIALS,
  sandbox: JSON.parse(urls) as Record<string, string>,
  clock: systemClock,
  retry: { initialInterval: 10, maximumAttempts: 3 },
});
const system = new CampaignSystem({
  store,
  connectors,
  audience: staticAudience(crashRecipients(Number(count))),
  // The crash test is about exactly-once delivery; the law is tested in test/actors.
  gate: unsafeNoComplianceGate,
});
await system.resumeAll();
const id = await system.launch(crashSpec, { id: 'crash' });
const report = await system.settled(id);
await system.stop();
await store.close();
process.stdout.write(JSON.stringify(report));
