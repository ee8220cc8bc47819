/**
 * A consumer of the published package: type-checked by test/package/package.test.ts against the
 * types in the packed tarball, as a user's project would see them (not part of Herald's build).
 */
import {
  CampaignSystem,
  createConnectorRegistry,
  formatActorTree,
  openSqliteStore,
  profileAudience,
  type CampaignEvent,
  type CampaignMachineInput,
  type CampaignReport,
  type CampaignSpecInput,
  type StepProgress,
  type StepResult,
  type SystemEvent,
} from 'herald';
import { parseCampaign, type ParseResult } from 'herald/nl';
import { planStep } from 'herald/schedule';
import { resolveAudience } from 'herald/segments';
import {
  SANDBOX_CREDENTIALS,
  SimulatedClock,
  sandboxAudience,
  startSandbox,
  type ReceivedRequest,
  type SandboxFault,
} from 'herald/testing';
import * as cluster from 'herald/cluster';
import * as compliance from 'herald/compliance';
import * as metrics from 'herald/metrics';
import pkg from 'herald/package.json' with { type: 'json' };

const clock = new SimulatedClock(Date.parse('2026-11-25T12:00:00Z'));
const sandbox = await startSandbox({ clock });
const fault: SandboxFault = { kind: '429', retryAfterSeconds: 1 };
sandbox.inject('slack', fault);
const { profiles, events } = sandboxAudience(50, clock.now());
const system = new CampaignSystem({
  store: openSqliteStore(':memory:'),
  connectors: createConnectorRegistry({ env: SANDBOX_CREDENTIALS, sandbox: sandbox.urls, clock }),
  audience: profileAudience(profiles, events),
  clock,
});
const progress: StepProgress[] = [];
system.events.subscribe((event: SystemEvent) => {
  if (event.type === 'step.progress') progress.push(event);
});
const spec: CampaignSpecInput = {
  name: 'Hello',
  steps: [
    { id: 'tell', platform: 'slack', action: 'notify', content: { channel: '#g', text: 'hi' } },
  ],
};
// @ts-expect-error launch is typed: a step without an action is not a campaign spec
await system.launch({ name: 'Broken', steps: [{ id: 'x', platform: 'slack' }] }).catch(() => '');
const report: CampaignReport = await system.settled(await system.launch(spec));
const results: (StepResult | undefined)[] = report.steps.map((step) => step.result);
const parsed: ParseResult = parseCampaign('Email the newsletter list tomorrow at 9am.', {
  now: '2026-11-25T12:00:00Z',
});
const requests: readonly ReceivedRequest[] = sandbox.received('slack');
const input: CampaignMachineInput | undefined = undefined;
const event: CampaignEvent = { type: 'campaign.pause' };
export const seen = [
  results,
  parsed,
  requests,
  input,
  event,
  pkg.version,
  planStep,
  resolveAudience,
];
export const tree = formatActorTree;
await system.stop();
await sandbox.close();
