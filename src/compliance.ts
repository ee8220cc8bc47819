/**
 * @module
 * `herald/compliance`: consent, suppression, erasure, redaction, hashing of audience members and
 * the verification of platforms' webhook signatures.
 */
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
export type {
  AudienceMember,
  AudiencePlatform,
  HashOptions,
  HashedMember,
} from './compliance/audience-hashing.js';
export type {
  ChannelRule,
  ConsentMode,
  EmailRequirements,
  ImpliedConsentExpiry,
  LocalWindow,
  RegionRule,
  SendHours,
} from './compliance/regional-policy.js';
export type { ConsentRefusal } from './compliance/consent-evaluation.js';
export type { ConsentSubject, SuppressionFlags } from './compliance/consent-subject.js';
export type {
  Deferred,
  GateOptions,
  GateRefusal,
  GateResult,
  Suppressed,
} from './compliance/recipient-gate.js';
export type {
  ErasureIdentifiers,
  ErasureOutcome,
  ErasureTarget,
} from './compliance/erasure-target.js';
export type {
  ErasureLog,
  ErasureRecord,
  ErasureServiceOptions,
} from './compliance/erasure-service.js';
export type { ImportFilter, ImportProfile, TombstoneSet } from './compliance/erasure-tombstones.js';
export type {
  LogLevel,
  LogRecord,
  Logger,
  RedactingLoggerOptions,
} from './compliance/redacting-logger.js';
export type { OutboundPolicy, ResolvedAddress, Resolver } from './compliance/ssrf-guard.js';
export type { Redactor, RedactorOptions } from './compliance/redaction.js';
export type { SafeFetchOptions } from './compliance/safe-fetch.js';
export type { SecretKey } from './compliance/secret-keyring.js';
export type { SendGridWebhook } from './compliance/sendgrid-signature.js';
export type { SlackRequest } from './compliance/slack-signature.js';
export type { SuppressionEvent, SuppressionScope } from './compliance/suppression-list.js';
export type { TwilioParams, TwilioRequest } from './compliance/twilio-signature.js';
export type { WebhookRejection, WebhookVerification } from './compliance/webhook-verification.js';
