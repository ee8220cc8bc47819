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
export type { ComplianceGateOptions, SubjectLookup } from './actors/compliance-gate.js';
export type { DeliveryGate, GateVerdict } from './actors/delivery-gate.js';
export { unsafeNoComplianceGate } from './actors/delivery-gate.js';
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
export { parseCampaign } from './nl/parse-campaign.js';
export type { ParseOptions, ParseResult } from './nl/parse-campaign.js';
export { explainCampaign } from './nl/explain-campaign.js';
export { toFacts } from './nl/campaign-facts.js';
export { resolveAudience } from './segments/resolve-audience.js';
export { ColumnarEngine } from './segments/columnar-engine.js';
export { buildColumnarStore } from './segments/columnar-builder.js';
export { compileRuleSql } from './segments/sql-compiler.js';
export { resolveIdentities } from './segments/identity-resolution.js';
export { previewSegment, explainProfile } from './segments/explain-segment.js';
export { loadProfiles, loadEvents } from './segments/profile-loader.js';
export type { Profile, ProfileEvent } from './segments/profile-model.js';
export type { SegmentRegistry } from './segments/segment-registry.js';
export { previewRunTimes } from './schedule/timing-preview.js';
export { forecastCampaign } from './schedule/send-forecast.js';
export { bestSendHour, planOptimizedSends } from './schedule/send-time-optimizer.js';
export { applyFrequencyCap } from './schedule/frequency-cap.js';
export { CampaignMetrics } from './actors/campaign-metrics.js';
export { collectMetrics } from './metrics/metrics-collector.js';
export { computeKpis } from './metrics/kpi-calculator.js';
export { writeCampaignReport } from './metrics/campaign-report.js';
export { openMetricsDatabase } from './metrics/metrics-database.js';
export { RuleEngine } from './metrics/rule-engine.js';
export { gateRecipients } from './compliance/recipient-gate.js';
export { SuppressionList } from './compliance/suppression-list.js';
export { ErasureService } from './compliance/erasure-service.js';
export { hashAudienceMember } from './compliance/audience-hashing.js';
export { SecretKeyring } from './compliance/secret-keyring.js';
export { redact } from './compliance/redaction.js';
export { createRedactingLogger } from './compliance/redacting-logger.js';
export { verifySendGridSignature } from './compliance/sendgrid-signature.js';
export { verifySlackSignature } from './compliance/slack-signature.js';
export { verifyTwilioSignature } from './compliance/twilio-signature.js';
export { safeFetch } from './compliance/safe-fetch.js';
export { ClusterWorker } from './cluster/cluster-worker.js';
export type { ClusterWorkerOptions } from './cluster/cluster-worker.js';
export { submitCampaign, clusterStatus, openClusterClient } from './cluster/cluster-client.js';
export type { ClusterStatus } from './cluster/cluster-client.js';
export { openStore } from './store/open-store.js';
export { openPostgresStore } from './store/postgres-store.js';
export { postgresAudience } from './cluster/postgres-audience.js';
