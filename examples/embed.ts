/**
 * Embedding Herald: launch a campaign from code on the sandbox and print its report.
 * Run with `npx tsx examples/embed.ts`. In your project, import from 'herald' and
 * 'herald/testing' instead of the source paths below.
 */
import {
  CampaignSystem,
  createConnectorRegistry,
  openSqliteStore,
  profileAudience,
} from '../src/index.js';
import {
  SANDBOX_CREDENTIALS,
  SimulatedClock,
  sandboxAudience,
  startSandbox,
} from '../src/testing.js';

const clock = new SimulatedClock(Date.parse('2026-11-25T12:00:00Z'));
const sandbox = await startSandbox({ clock });
const { profiles, events } = sandboxAudience(500, clock.now());
const system = new CampaignSystem({
  store: openSqliteStore(':memory:'),
  connectors: createConnectorRegistry({ env: SANDBOX_CREDENTIALS, sandbox: sandbox.urls, clock }),
  // The compliance gate is on by default: consent, suppression and sending windows are
  // checked against what profileAudience knows of each recipient, when each batch is sent.
  audience: profileAudience(profiles, events),
  clock,
});
system.events.subscribe((event) => {
  if (event.type === 'campaign.status') process.stdout.write(`campaign ${event.status}\n`);
});

const id = await system.launch({
  name: 'Hello from code',
  audience: { segment: 'newsletter' },
  steps: [
    {
      id: 'hello',
      platform: 'email',
      action: 'email',
      content: { subject: 'Hello', html: '<p>Hi there</p>' },
      timing: { kind: 'recipient_local', date: '2026-11-26', time: '09:00' },
    },
    {
      id: 'tell-the-team',
      platform: 'slack',
      action: 'notify',
      content: { channel: '#growth', text: 'The hello email went out.' },
      dependsOn: [{ step: 'hello' }],
    },
  ],
});
const report = await system.settled(id);
process.stdout.write(`${JSON.stringify(report.steps, null, 2)}\n`);
await system.stop();
await sandbox.close();
