/**
 * @module
 * A structured logger that scrubs every message and field through a `Redactor` before it
 * reaches its sink, so nothing Herald logs can carry a secret or a person's address.
 */
import { defaultRedactor, type Redactor } from './redaction.js';

/** Log levels, lowest first. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
/** A log level. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** One scrubbed record as the sink receives it. */
export interface LogRecord {
  readonly level: LogLevel;
  /** ISO 8601. */
  readonly time: string;
  readonly msg: string;
  readonly [field: string]: unknown;
}

/** A structured logger. */
export interface Logger {
  debug(msg: string, fields?: Readonly<Record<string, unknown>>): void;
  info(msg: string, fields?: Readonly<Record<string, unknown>>): void;
  warn(msg: string, fields?: Readonly<Record<string, unknown>>): void;
  error(msg: string, fields?: Readonly<Record<string, unknown>>): void;
  /** A logger adding `bindings` to every record. */
  child(bindings: Readonly<Record<string, unknown>>): Logger;
}

/** Options of {@link createRedactingLogger}. */
export interface RedactingLoggerOptions {
  /** Receives scrubbed records. */
  readonly sink: (record: LogRecord) => void;
  /** @default defaultRedactor */
  readonly redactor?: Redactor;
  /** Epoch ms; a `Clock`'s `now`. @default Date.now */
  readonly now?: () => number;
  /** Lowest level emitted. @default "info" */
  readonly level?: LogLevel;
}

/**
 * Creates a logger whose every record is redacted.
 * @example
 * const log = createRedactingLogger({ sink: (r) => process.stderr.write(JSON.stringify(r) + '\n') });
 * log.error('send failed', { error, recipient }); // error and recipient are scrubbed
 */
export function createRedactingLogger(
  options: RedactingLoggerOptions,
  bindings: Readonly<Record<string, unknown>> = {},
): Logger {
  const redactor = options.redactor ?? defaultRedactor;
  const now = options.now ?? Date.now;
  const min = LOG_LEVELS.indexOf(options.level ?? 'info');
  const emit = (
    level: LogLevel,
    msg: string,
    fields: Readonly<Record<string, unknown>> = {},
  ): void => {
    if (LOG_LEVELS.indexOf(level) < min) return;
    const scrubbed = redactor.redact({ ...bindings, ...fields }) as Record<string, unknown>;
    options.sink({
      ...scrubbed,
      level,
      time: new Date(now()).toISOString(),
      msg: redactor.redactString(msg),
    });
  };
  return {
    debug: (msg, fields) => {
      emit('debug', msg, fields);
    },
    info: (msg, fields) => {
      emit('info', msg, fields);
    },
    warn: (msg, fields) => {
      emit('warn', msg, fields);
    },
    error: (msg, fields) => {
      emit('error', msg, fields);
    },
    child: (more) => createRedactingLogger(options, { ...bindings, ...more }),
  };
}
