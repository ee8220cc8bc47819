/**
 * @module
 * `herald`: the campaign spec, plain-English parsing, the charts, the runtime that runs them as
 * actors, the SQLite store, connectors and errors — what it takes to run a campaign. It loads no
 * queue, PostgreSQL or chart-rendering library; those live in subpath entries:
 * `herald/nl` (plain English only), `herald/segments`, `herald/schedule`, `herald/compliance`,
 * `herald/metrics`, `herald/cluster` and `herald/testing` (the sandbox, a simulated clock).
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
export { parseCampaign } from './nl/parse-campaign.js';
export type { ParseOptions, ParseResult } from './nl/parse-campaign.js';
export { compileCampaign } from './machines/compile-campaign.js';
export type { CompiledCampaign } from './machines/compile-campaign.js';
export { chartView, chartDefinition } from './machines/chart-view.js';
export type { ChartView, ChartDefinition, ChartTransition } from './machines/chart-view.js';
export { campaignMachine } from './machines/campaign-machine.js';
export type { CampaignContext, CampaignEvent } from './machines/campaign-machine.js';
export { stepMachine } from './machines/step-machine.js';
export type { StepContext, StepEvent } from './machines/step-machine.js';
export type {
  CampaignMachineInput,
  CompiledStep,
  StepMachineInput,
  StepResult,
  StepStatus,
  ErrorSummary,
} from './machines/machine-types.js';
export { deliveryMachine } from './machines/delivery-machine.js';
export type {
  BatchOutcome,
  DeliveryContext,
  DeliveryProgress,
  DeliveryWave,
  FinishDeliveryInput,
  PreparedDelivery,
  SendBatchInput,
  DeliveryEvent,
  DeliveryOutput,
  DeliveryBatch,
  Deferral,
} from './machines/delivery-machine.js';
export { CampaignSystem, MACHINE_VERSION } from './actors/campaign-system.js';
export type {
  CampaignSystemOptions,
  CampaignReport,
  SystemEvent,
} from './actors/campaign-system.js';
export type { StepProgress } from './actors/step-executor.js';
export { staticAudience } from './actors/audience-resolver.js';
export type { AudienceResolver } from './actors/audience-resolver.js';
export { profileAudience, BUILT_IN_SEGMENTS } from './actors/profile-audience.js';
export { complianceGate } from './actors/compliance-gate.js';
export type { ComplianceGateOptions, SubjectLookup } from './actors/compliance-gate.js';
export type { DeliveryGate, GateVerdict } from './actors/delivery-gate.js';
export { unsafeNoComplianceGate } from './actors/delivery-gate.js';
export { formatActorTree } from './actors/actor-tree.js';
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
export type {
  ActorEventRecord,
  CampaignCommand,
  CampaignRecord,
  Deadline,
  FrozenMember,
  JournalStatus,
  SnapshotEnvelope,
} from './store/herald-store.js';
export type { AudienceRuleInput } from './spec/audience-schema.js';
export type { CallOutcome, JournaledCaller } from './actors/journaled-call.js';
export type {
  Capability,
  ConnectorHealth,
  MetricsRequest,
  MetricsRow,
  Reconciliation,
} from './connectors/connector.js';
export type { Channel } from './compliance/regional-policy.js';
export type {
  ConcretePlatform,
  ConnectorFactory,
  ConnectorRegistryOptions,
} from './connectors/connector-registry.js';
export type { ConnectorCounters } from './connectors/connector-machine.js';
export type { ConnectorDeps } from './connectors/connector-deps.js';
export type { ConnectorErrorCode, ConnectorErrorDetails } from './connectors/connector-error.js';
export type { ConsentChannel } from './segments/profile-model.js';
export type { ConsentRecord, SuppressionReason } from './compliance/consent-subject.js';
export type { CredentialSource, PlatformConfig } from './connectors/connector-credentials.js';
export type { DEFAULT_PROVIDER } from './spec/platforms.js';
export type { DeliveryPlan } from './machines/machine-types.js';
export type { DraftCondition, DraftStepSpec, DraftTiming } from './nl/campaign-draft.js';
export type {
  ExecuteStepInput,
  PlanDeliveryInput,
  WaitUntilInput,
} from './machines/step-machine.js';
export type { QuotaLimiter, RateQuota } from './connectors/quota-limiter.js';
export type { TransportRetryPolicy } from './connectors/retry-policy.js';
export type { SegmentDefinition } from './segments/segment-registry.js';
export type { SuppressionLookup, SuppressionQuery } from './compliance/suppression-list.js';
export type {
  AccountIdentity,
  EngagementReport,
  RecipientEngagement,
} from './connectors/connector.js';
export type { SqliteHeraldStore } from './store/sqlite-store.js';
export type {
  FencedSqliteHooks,
  LeaseClaim,
  LeaseHolder,
  SqliteLease,
  SqliteLeaseRecord,
  SqliteLeases,
} from './store/sqlite-leases.js';
export type { RunConfiguration } from './store/run-configuration.js';
export type { MonitoredRule } from './metrics/rule-windows.js';
