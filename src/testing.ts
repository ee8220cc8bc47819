/**
 * @module
 * `herald/testing`: the sandbox of fake platforms, the credentials it accepts, a simulated
 * clock and a synthetic audience — everything to test a campaign without any account — and the
 * shipped charts with idle children, for model-based tests of the charts.
 */
export { startSandbox } from './sandbox/start-sandbox.js';
export type { Sandbox, SandboxOptions } from './sandbox/start-sandbox.js';
export { SANDBOX_CREDENTIALS } from './sandbox/sandbox-credentials.js';
export { sandboxAudience } from './sandbox/sandbox-audience.js';
export { SimulatedClock } from './schedule/clock.js';
export type {
  ReceivedRequest,
  SandboxFault,
  Delivery,
  MessageRecord,
} from './sandbox/sandbox-types.js';
export type { EngagementEvent, EngagementKind } from './sandbox/message-engagement.js';
export type { SandboxAudience } from './sandbox/sandbox-audience.js';
export {
  idleCampaignMachine,
  idleStepMachine,
  idleDeliveryMachine,
} from './machines/idle-charts.js';
