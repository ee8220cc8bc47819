/**
 * @module
 * Herald's error family. Expected outcomes are values (`Result` with `Issue`s); real failures
 * are thrown as a `HeraldError` subclass with a snake_case `code`.
 */

/** One problem with an input: where it is, what is wrong, and how to fix it. */
export interface Issue {
  /** snake_case code, e.g. `unknown_step`, `dependency_cycle`, `am_pm_missing`. */
  readonly code: string;
  /** Path within the input, e.g. `["steps", 2, "timing", "after"]`. */
  readonly path: readonly (string | number)[];
  readonly message: string;
  /** Ways to fix it, most likely first. */
  readonly suggestions?: readonly string[];
  /** For text input: `[start, end)` character offsets. */
  readonly span?: readonly [number, number];
}

/** A value or the issues that prevent it, in the shape of zod's `safeParse`. */
export type Result<T> =
  | { readonly success: true; readonly data: T }
  | { readonly success: false; readonly error: readonly Issue[] };

const BRAND = Symbol.for('herald.error');

/** Base of every error Herald throws. */
export class HeraldError extends Error {
  readonly [BRAND] = true;
  /** snake_case code. */
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'HeraldError';
    this.code = code;
  }
}

/** An input failed validation; `issues` names each problem. */
export class ValidationError extends HeraldError {
  readonly issues: readonly Issue[];

  constructor(subject: string, issues: readonly Issue[]) {
    super('invalid_input', `${subject} is invalid:\n${formatIssues(issues)}`);
    this.name = 'ValidationError';
    this.issues = issues;
  }
}

/** Herald is configured wrongly (a missing credential, an unusable store path…). */
export class ConfigurationError extends HeraldError {
  constructor(code: string, message: string) {
    super(code, message);
    this.name = 'ConfigurationError';
  }
}

/**
 * Herald's surroundings failed it: a store file that is damaged, read-only, a directory or on
 * a full disk. `path` names what failed; the message says how to fix it. The CLI exits with
 * code 3 for these, apart from bad input (2) and a failed campaign (1).
 */
export class EnvironmentError extends HeraldError {
  /** The file or folder concerned. */
  readonly path: string;

  constructor(code: string, path: string, message: string, options?: ErrorOptions) {
    super(code, message, options);
    this.name = 'EnvironmentError';
    this.path = path;
  }
}

/** True for any error thrown by Herald. */
export function isHeraldError(error: unknown): error is HeraldError {
  return typeof error === 'object' && error !== null && BRAND in error;
}

/** Renders issues one per line as `path: message (try: …)`. */
export function formatIssues(issues: readonly Issue[]): string {
  return issues
    .map((issue) => {
      const where = issue.path.length > 0 ? issue.path.join('.') : '(root)';
      const fix = issue.suggestions?.length ? ` (try: ${issue.suggestions.join('; ')})` : '';
      return `  - ${where}: ${issue.message} [${issue.code}]${fix}`;
    })
    .join('\n');
}
