/**
 * @module
 * Removes secrets and personal data from anything about to be logged, thrown, snapshotted,
 * journaled or reported: registered secret values, bearer and basic credentials, JWTs, API
 * keys of the platforms Herald speaks to, secret URL parameters, email addresses and phone
 * numbers in strings, and whole values under sensitive keys. Walks nested objects, arrays,
 * maps, sets and errors (cycles included) and returns a JSON-safe copy.
 */

/** What replaces a secret. */
export const REDACTED = '[REDACTED]';
/** What replaces an email address. */
export const REDACTED_EMAIL = '[EMAIL]';
/** What replaces a phone number. */
export const REDACTED_PHONE = '[PHONE]';

const SENSITIVE_KEY =
  /(pass(word|wd|phrase)?|secret|token|api[-_]?key|apikey|authorization|auth[-_]?token|cookie|set-cookie|credentials?|private[-_]?key|signature|signing[-_]?secret|access[-_]?key|client[-_]?secret|refresh[-_]?token|session)$/i;
const PII_KEY = /^(e-?mail|email[-_]?address|phone|phone[-_]?number|mobile|msisdn)$/i;

/** A pattern, its replacement, and a substring without which the pattern cannot match (a cheap skip). */
type StringRule = readonly [RegExp, string, string?];

const STRING_RULES: readonly StringRule[] = [
  [/\b(Bearer|Basic|Token|Digest)\s+[A-Za-z0-9._~+/=-]{6,}/gi, `$1 ${REDACTED}`],
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, REDACTED, 'eyJ'],
  [/\bSG\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g, REDACTED, 'SG.'],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}/g, REDACTED, 'xox'],
  [/\b(sk|rk|pk)_(live|test)_[A-Za-z0-9]{10,}/g, REDACTED, '_'],
  [/\bAKIA[0-9A-Z]{16}\b/g, REDACTED, 'AKIA'],
  [/\bgh[pousr]_[A-Za-z0-9]{20,}/g, REDACTED, '_'],
  [/\bAIza[0-9A-Za-z_-]{35}/g, REDACTED, 'AIza'],
  [/\bya29\.[0-9A-Za-z._-]{10,}/g, REDACTED, 'ya29.'],
  [/\bEAA[A-Za-z0-9]{20,}/g, REDACTED, 'EAA'],
  [
    /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
    REDACTED,
    '-----BEGIN',
  ],
  [
    /([?&#](?:access_token|refresh_token|id_token|token|key|api_key|apikey|secret|client_secret|password|sig|signature|code|auth)=)[^&\s#"'<>]+/gi,
    `$1${REDACTED}`,
    '=',
  ],
  [
    /\b(password|passwd|secret|token|api[_-]?key|authorization|auth[_-]?token|client[_-]?secret)(\s*[:=]\s*)(["']?)[^\s"',;&]+/gi,
    `$1$2$3${REDACTED}`,
  ],
  [/\/\/([^/\s:@]+):([^/\s@]+)@/g, `//$1:${REDACTED}@`, '@'],
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g, REDACTED_EMAIL, '@'],
  [/[A-Za-z0-9._%+-]+%40[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/gi, REDACTED_EMAIL, '%'],
  [/(?<![\w+])\+\d[\d\s().-]{6,18}\d(?!\w)/g, REDACTED_PHONE, '+'],
  [/(?<![\w(])\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}(?!\w)/g, REDACTED_PHONE],
];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Options of {@link Redactor}. */
export interface RedactorOptions {
  /** Deepest level walked; deeper values become `[Truncated]`. @default 20 */
  readonly maxDepth?: number;
}

/**
 * A redactor with its own registered secrets.
 * @example
 * const redactor = new Redactor();
 * redactor.register(process.env.SENDGRID_API_KEY!);
 * logger.info(redactor.redact({ request, error }));
 */
export class Redactor {
  readonly #secrets = new Set<string>();
  #secretPattern: RegExp | undefined;
  readonly #maxDepth: number;

  constructor(options: RedactorOptions = {}) {
    this.#maxDepth = options.maxDepth ?? 20;
  }

  /** Registers a secret value (and its URL-encoded and base64 forms); values under 4 characters are ignored. */
  register(secret: string): void {
    if (secret.length < 4) return;
    for (const form of [
      secret,
      encodeURIComponent(secret),
      Buffer.from(secret).toString('base64'),
    ]) {
      this.#secrets.add(form);
    }
    const sorted = [...this.#secrets].sort((a, b) => b.length - a.length).map(escapeRegExp);
    this.#secretPattern = new RegExp(sorted.join('|'), 'g');
  }

  /** Scrubs one string. */
  redactString(text: string): string {
    let out =
      this.#secretPattern === undefined ? text : text.replace(this.#secretPattern, REDACTED);
    for (const [pattern, replacement, hint] of STRING_RULES) {
      if (hint === undefined || out.includes(hint)) out = out.replace(pattern, replacement);
    }
    return out;
  }

  /** A JSON-safe, scrubbed copy of `value`. */
  redact(value: unknown): unknown {
    return this.#walk(value, undefined, 0, new WeakSet());
  }

  /** An error as a scrubbed plain object: name, code, message, stack and cause. */
  serializeError(error: unknown): Record<string, unknown> {
    const walked = this.redact(error);
    return typeof walked === 'object' && walked !== null && !Array.isArray(walked)
      ? (walked as Record<string, unknown>)
      : { message: walked };
  }

  #walk(value: unknown, key: string | undefined, depth: number, seen: WeakSet<object>): unknown {
    if (key !== undefined && value !== null && value !== undefined) {
      if (SENSITIVE_KEY.test(key)) return REDACTED;
      if (PII_KEY.test(key) && typeof value === 'string') return REDACTED;
    }
    switch (typeof value) {
      case 'string':
        return this.redactString(value);
      case 'number':
      case 'boolean':
      case 'undefined':
        return value;
      case 'bigint':
        return value.toString();
      case 'symbol':
        return value.toString();
      case 'function':
        return '[Function]';
      case 'object':
        break;
    }
    if (value === null) return null;
    if (seen.has(value)) return '[Circular]';
    if (depth >= this.#maxDepth) return '[Truncated]';
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
    if (ArrayBuffer.isView(value)) return `[Binary ${value.byteLength} bytes]`;
    seen.add(value);
    try {
      if (Array.isArray(value)) return value.map((v) => this.#walk(v, undefined, depth + 1, seen));
      if (value instanceof Map) {
        const out: Record<string, unknown> = {};
        for (const [k, v] of value) out[String(k)] = this.#walk(v, String(k), depth + 1, seen);
        return out;
      }
      if (value instanceof Set)
        return [...value].map((v) => this.#walk(v, undefined, depth + 1, seen));
      const out: Record<string, unknown> = {};
      if (value instanceof Error) {
        out.name = value.name;
        out.message = this.redactString(value.message);
        if (value.stack !== undefined) out.stack = this.redactString(value.stack);
        if (value.cause !== undefined)
          out.cause = this.#walk(value.cause, undefined, depth + 1, seen);
      }
      for (const [k, v] of Object.entries(value)) out[k] = this.#walk(v, k, depth + 1, seen);
      return out;
    } finally {
      seen.delete(value);
    }
  }
}

/** The process-wide redactor used by Herald's logs, errors, snapshots, journal and reports. */
export const defaultRedactor = new Redactor();

/**
 * Scrubs `value` with the process-wide redactor.
 * @example
 * redact({ url: 'https://x.test/?token=abc123', to: 'a@example.com' });
 * // { url: 'https://x.test/?token=[REDACTED]', to: '[EMAIL]' }
 */
export function redact(value: unknown): unknown {
  return defaultRedactor.redact(value);
}

/** Registers a secret with the process-wide redactor (credentials, as they are loaded). */
export function registerSecret(secret: string): void {
  defaultRedactor.register(secret);
}
