/**
 * @module
 * The error an `executeStep` or `planDelivery` actor throws: a JSON-able summary the step
 * chart keeps in context and its retry guard reads.
 */
import { isConnectorError } from '../connectors/connector-error.js';
import { isHeraldError } from '../errors.js';
import type { ErrorSummary } from '../machines/machine-types.js';

/** A step attempt failed. */
export class StepFailure extends Error implements ErrorSummary {
  readonly code: string;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly at: string;

  constructor(summary: ErrorSummary) {
    super(summary.message);
    this.name = 'StepFailure';
    this.code = summary.code;
    this.retryable = summary.retryable;
    if (summary.retryAfterMs !== undefined) this.retryAfterMs = summary.retryAfterMs;
    this.at = summary.at;
  }

  /** Summarises any thrown value at time `now` (epoch ms). */
  static from(error: unknown, now: number): StepFailure {
    if (error instanceof StepFailure) return error;
    const at = new Date(now).toISOString();
    if (isConnectorError(error)) {
      return new StepFailure({
        code: error.code,
        message: error.message,
        retryable: error.retryable,
        at,
        ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
      });
    }
    if (isHeraldError(error))
      return new StepFailure({ code: error.code, message: error.message, retryable: false, at });
    const message = error instanceof Error ? error.message : String(error);
    return new StepFailure({ code: 'internal', message, retryable: false, at });
  }
}
