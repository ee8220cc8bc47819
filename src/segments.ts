/**
 * @module
 * `herald/segments`: audiences over profiles and events — the columnar engine, the SQL
 * compiler, identity resolution, loaders and explanations.
 */
export { resolveAudience } from './segments/resolve-audience.js';
export { ColumnarEngine } from './segments/columnar-engine.js';
export { buildColumnarStore } from './segments/columnar-builder.js';
export { compileRuleSql } from './segments/sql-compiler.js';
export { resolveIdentities } from './segments/identity-resolution.js';
export { previewSegment, explainProfile } from './segments/explain-segment.js';
export { loadProfiles, loadEvents } from './segments/profile-loader.js';
export type { Profile, ProfileEvent } from './segments/profile-model.js';
export type { SegmentRegistry } from './segments/segment-registry.js';
export type { Audience, AudienceRule } from './spec/audience-schema.js';
export type { AudienceMember, ResolveAudienceOptions } from './segments/resolve-audience.js';
export type { BuildStats, ColumnarStoreBuilder } from './segments/columnar-builder.js';
export type {
  ColumnarParts,
  ColumnarStore,
  DictColumn,
  StringField,
  ValueColumn,
} from './segments/columnar-store.js';
export type { EvaluateOptions, PlanNode } from './segments/columnar-engine.js';
export type {
  IdentifierKind,
  IdentityConflict,
  IdentityResolution,
  ResolvedPerson,
  SourceRecord,
} from './segments/identity-resolution.js';
export type { LoadFormat, LoadOptions, LoadReport } from './segments/profile-loader.js';
export type { ProfileData, RuleTrace } from './segments/reference-evaluator.js';
export type { RuleContribution, SegmentPreview } from './segments/explain-segment.js';
export type { SqlCompileOptions, SqlQuery } from './segments/sql-compiler.js';
