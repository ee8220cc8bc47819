/**
 * @module
 * `herald/nl`: plain English to a campaign spec, and back to facts and an explanation. Loads
 * only the parser, the spec's schema and luxon — no charts, queues or database drivers.
 */
export { parseCampaign } from './nl/parse-campaign.js';
export type { ParseOptions, ParseResult } from './nl/parse-campaign.js';
export type { CampaignDraft } from './nl/campaign-draft.js';
export { explainCampaign } from './nl/explain-campaign.js';
export { toFacts } from './nl/campaign-facts.js';
export type { CampaignSpec, CampaignSpecInput } from './spec/campaign-schema.js';
export type { Issue } from './errors.js';
export type { AudienceFact } from './nl/audience-matcher.js';
export type { AudienceFilter } from './nl/audience-builder.js';
export type { CampaignFacts, ConditionFact, TimingFact } from './nl/campaign-facts.js';
