/**
 * @module
 * Herald's public API: the campaign spec, the runtime, the store, connectors and errors.
 * Test helpers (the sandbox, a simulated clock) are in `herald/testing`.
 */
export {
  CampaignSpec,
  Step,
  StepContent,
  RetryPolicy,
  CompliancePolicy,
} from './spec/campaign-schema.js';
export type { CampaignSpecInput } from './spec/campaign-schema.js';
export { Audience, AudienceRule } from './spec/audience-schema.js';
export { Timing } from './spec/timing-schema.js';
export { Condition, ConditionAction, MetricName } from './spec/condition-schema.js';
export {
  Platform,
  StepAction,
  PLATFORMS,
  PLATFORM_ACTIONS,
  supportsAction,
} from './spec/platforms.js';
export { validateCampaign } from './spec/validate-campaign.js';
export { compileCampaign } from './machines/compile-campaign.js';
export type { CompiledCampaign, ChartView } from './machines/compile-campaign.js';
export { campaignMachine } from './machines/campaign-machine.js';
export { stepMachine } from './machines/step-machine.js';
export { CampaignSystem, MACHINE_VERSION } from './actors/campaign-system.js';
export type {
  CampaignSystemOptions,
  CampaignReport,
  SystemEvent,
} from './actors/campaign-system.js';
export { staticAudience } from './actors/audience-resolver.js';
export type { AudienceResolver } from './actors/audience-resolver.js';
export { profileAudience, BUILT_IN_SEGMENTS } from './actors/profile-audience.js';
export { complianceGate } from './actors/compliance-gate.js';
export type { DeliveryGate, GateVerdict } from './actors/delivery-gate.js';
export { openGate } from './actors/delivery-gate.js';
export type { ActorView } from './actors/actor-tree.js';
export { openSqliteStore } from './store/sqlite-store.js';
export type { HeraldStore, CampaignStatus, JournalEntry } from './store/herald-store.js';
export { createConnectorRegistry } from './connectors/connector-registry.js';
export type {
  Connector,
  ConnectorRegistry,
  ActionRequest,
  ActionResult,
  Recipient,
} from './connectors/connector.js';
export { ConnectorError, isConnectorError } from './connectors/connector-error.js';
export {
  HeraldError,
  ValidationError,
  ConfigurationError,
  isHeraldError,
  formatIssues,
} from './errors.js';
export type { Issue, Result } from './errors.js';
export { systemClock } from './schedule/clock.js';
export type { Clock } from './schedule/clock.js';
export { planStep } from './schedule/plan-step.js';
