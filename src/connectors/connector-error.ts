/**
 * @module
 * `ConnectorError`: the one error every connector throws, with a platform-neutral code.
 */
import { HeraldError } from '../errors.js';
import type { Platform } from '../spec/platforms.js';

/** Platform-neutral error codes. */
export const CONNECTOR_ERROR_CODES = [
  'auth_expired',
  'permission_denied',
  'invalid_request',
  'rate_limited',
  'quota_exhausted',
  'not_found',
  'conflict',
  'transient',
  'schema_drift',
  'version_sunset',
  'unknown_outcome',
] as const;
/** A platform-neutral error code. */
export type ConnectorErrorCode = (typeof CONNECTOR_ERROR_CODES)[number];

/** Codes worth retrying with backoff. */
export const RETRYABLE_CODES: ReadonlySet<ConnectorErrorCode> = new Set([
  'rate_limited',
  'transient',
]);

/** Fields of a {@link ConnectorError}. */
export interface ConnectorErrorDetails {
  readonly platform: Platform;
  readonly code: ConnectorErrorCode;
  readonly message: string;
  /** HTTP status, when there was a response. */
  readonly status?: number;
  /** @default true for rate_limited and transient */
  readonly retryable?: boolean;
  /** Wait the platform asked for. */
  readonly retryAfterMs?: number;
  /** The platform's own error code and message. */
  readonly platformCode?: string;
  readonly platformMessage?: string;
  readonly cause?: unknown;
}

/** A platform call failed. Never carries credentials or personal data. */
export class ConnectorError extends HeraldError {
  override readonly code: ConnectorErrorCode;
  readonly platform: Platform;
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly platformCode: string | undefined;
  readonly platformMessage: string | undefined;

  constructor(details: ConnectorErrorDetails) {
    super(details.code, `${details.platform}: ${details.message}`, { cause: details.cause });
    this.name = 'ConnectorError';
    this.code = details.code;
    this.platform = details.platform;
    this.status = details.status;
    this.retryable = details.retryable ?? RETRYABLE_CODES.has(details.code);
    this.retryAfterMs = details.retryAfterMs;
    this.platformCode = details.platformCode;
    this.platformMessage = details.platformMessage;
  }
}

/** True for a {@link ConnectorError}. */
export function isConnectorError(error: unknown): error is ConnectorError {
  return error instanceof ConnectorError;
}
