/**
 * @module
 * Errors as the charts keep them: whatever a child actor threw, as a JSON error summary.
 */
import type { ErrorSummary } from './machine-types.js';

/** Turns whatever an actor threw into a JSON error summary. */
export function toSummary(error: unknown): ErrorSummary {
  if (typeof error === 'object' && error !== null && 'code' in error && 'at' in error) {
    const e = error as ErrorSummary;
    return {
      code: e.code,
      message: e.message,
      retryable: e.retryable,
      at: e.at,
      ...(e.retryAfterMs === undefined ? {} : { retryAfterMs: e.retryAfterMs }),
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message, retryable: false, at: new Date(0).toISOString() };
}
