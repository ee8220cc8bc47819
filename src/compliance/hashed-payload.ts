/**
 * @module
 * The last check before an audience payload leaves for an ad platform: every value under a
 * personal-data key is a SHA-256 hex digest, and no other string looks like an email address
 * or phone number.
 */
import { ValidationError, type Issue } from '../errors.js';

const SHA256 = /^[a-f0-9]{64}$/;
const EMAIL_LIKE = /[^\s@]+@[^\s@]+\.[^\s@]+/;
const PHONE_LIKE = /\+\d[\d\s().-]{5,}\d|^\d[\d\s().-]{5,}\d$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;
const PII_KEY =
  /^(email|em|phone|ph|fn|ln|first_?name|last_?name|hashed\w*|zip|ct|st|dob|db|ge|gender|city|madid)$/i;

/** Options of {@link checkHashed}. */
export interface HashedCheckOptions {
  /** Keys whose values platforms accept in clear. @default ["countryCode", "postalCode"] */
  readonly plainKeys?: readonly string[];
}

/** Lists every value in `payload` that would leak personal data unhashed. */
export function checkHashed(payload: unknown, options: HashedCheckOptions = {}): Issue[] {
  const plain = new Set(options.plainKeys ?? ['countryCode', 'postalCode']);
  const issues: Issue[] = [];
  const visit = (value: unknown, path: (string | number)[], key: string | undefined): void => {
    if (typeof value === 'string') {
      if (key !== undefined && plain.has(key)) return;
      if (SHA256.test(value)) return;
      const piiKey = key !== undefined && PII_KEY.test(key);
      if (
        piiKey ||
        EMAIL_LIKE.test(value) ||
        (PHONE_LIKE.test(value) && /\d{7}/.test(value.replace(/\D/g, '')) && !ISO_DATE.test(value))
      ) {
        issues.push({
          code: 'unhashed_pii',
          path,
          message: 'personal data must be normalised and SHA-256 hashed before it leaves',
          suggestions: ['use hashAudienceMember()'],
        });
      }
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        visit(item, [...path, i], key);
      });
      return;
    }
    if (typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value)) visit(v, [...path, k], k);
    }
  };
  visit(payload, [], undefined);
  return issues;
}

/**
 * Throws a `ValidationError` when anything in `payload` is unhashed personal data. Connectors
 * that upload audiences call it on the exact body they are about to send.
 * @example
 * assertHashed({ schema: ['EMAIL'], data: [[sha256Hex('a@example.com')]] }); // passes
 */
export function assertHashed(payload: unknown, options: HashedCheckOptions = {}): void {
  const issues = checkHashed(payload, options);
  // The payload itself is never quoted: the error must not carry the data it protects.
  if (issues.length > 0) throw new ValidationError('audience payload', issues);
}
