/**
 * @module
 * Normalisation and SHA-256 hashing of personal data for ad-platform audiences, per
 * platform, because the platforms disagree and a wrongly normalised value never matches:
 * - Meta (Custom Audiences): email trimmed and lowercased; phone digits only with country
 *   code, no `+`, no leading zeros; names lowercased without punctuation; country and ZIP
 *   hashed too (ZIP: first five digits in the US).
 * - Google (Customer Match): email trimmed and lowercased, and dots removed from the local
 *   part of `gmail.com`/`googlemail.com` addresses; phone in E.164 with the `+`; names
 *   trimmed and lowercased; country code and postal code sent in clear.
 */
import { createHash } from 'node:crypto';
import type { Issue, Result } from '../errors.js';

/** Ad platforms whose audience rules Herald knows. */
export type AudiencePlatform = 'meta_ads' | 'google_ads';

/** A person to add to an ad audience, before hashing. */
export interface AudienceMember {
  readonly email?: string;
  readonly phone?: string;
  readonly firstName?: string;
  readonly lastName?: string;
  /** ISO 3166-1 alpha-2. */
  readonly countryCode?: string;
  readonly postalCode?: string;
}

/** Lowercase hex SHA-256 of a UTF-8 string. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Normalises an email for a platform, or `undefined` when it is not an email. */
export function normaliseEmail(email: string, platform: AudiencePlatform): string | undefined {
  const value = email.trim().toLowerCase();
  if (!EMAIL.test(value)) return undefined;
  if (platform === 'google_ads') {
    const at = value.lastIndexOf('@');
    const domain = value.slice(at + 1);
    if (domain === 'gmail.com' || domain === 'googlemail.com') {
      return `${value.slice(0, at).replaceAll('.', '')}@${domain}`;
    }
  }
  return value;
}

/**
 * Normalises a phone number for a platform, or `undefined` when no country code can be
 * determined. `+` or `00` prefixes mark an international number; otherwise
 * `defaultCallingCode` (digits, e.g. `"1"` or `"44"`) is prefixed after dropping a trunk `0`.
 */
export function normalisePhone(
  phone: string,
  platform: AudiencePlatform,
  defaultCallingCode?: string,
): string | undefined {
  const trimmed = phone.trim();
  let digits = trimmed.replace(/\D/g, '');
  if (trimmed.startsWith('+')) {
    // already international
  } else if (digits.startsWith('00')) {
    digits = digits.slice(2);
  } else if (defaultCallingCode !== undefined) {
    digits = `${defaultCallingCode}${digits.replace(/^0+/, '')}`;
  } else {
    return undefined;
  }
  digits = digits.replace(/^0+/, '');
  if (digits.length < 8 || digits.length > 15) return undefined;
  return platform === 'google_ads' ? `+${digits}` : digits;
}

/** Normalises a first or last name for a platform. */
export function normaliseName(name: string, platform: AudiencePlatform): string {
  const lower = name.trim().toLowerCase();
  return platform === 'meta_ads' ? lower.replace(/[\p{P}\p{S}\s]/gu, '') : lower;
}

/** Options of {@link hashAudienceMember}. */
export interface HashOptions {
  /** Country calling code for numbers written without one. @default undefined (such numbers are dropped) */
  readonly defaultCallingCode?: string;
}

/** A member ready to upload: platform field names, hashed values (Google's country and postal code in clear). */
export type HashedMember = Readonly<Record<string, string>>;

/**
 * Normalises and hashes one member for a platform. Unusable fields are reported as issues;
 * the result fails only when nothing usable remains.
 * @example
 * hashAudienceMember({ email: ' A.B@Gmail.com ' }, 'google_ads');
 * // { success: true, data: { hashedEmail: sha256Hex('ab@gmail.com') } }
 */
export function hashAudienceMember(
  member: AudienceMember,
  platform: AudiencePlatform,
  options: HashOptions = {},
): Result<HashedMember> & { readonly warnings?: readonly Issue[] } {
  const meta = platform === 'meta_ads';
  const out: Record<string, string> = {};
  const warnings: Issue[] = [];
  if (member.email !== undefined) {
    const email = normaliseEmail(member.email, platform);
    if (email === undefined) warnings.push(warn('email_invalid', 'email', 'not an email address'));
    else out[meta ? 'EMAIL' : 'hashedEmail'] = sha256Hex(email);
  }
  if (member.phone !== undefined) {
    const phone = normalisePhone(member.phone, platform, options.defaultCallingCode);
    if (phone === undefined)
      warnings.push(warn('phone_invalid', 'phone', 'no country code or wrong length'));
    else out[meta ? 'PHONE' : 'hashedPhoneNumber'] = sha256Hex(phone);
  }
  if (member.firstName !== undefined) {
    out[meta ? 'FN' : 'hashedFirstName'] = sha256Hex(normaliseName(member.firstName, platform));
  }
  if (member.lastName !== undefined) {
    out[meta ? 'LN' : 'hashedLastName'] = sha256Hex(normaliseName(member.lastName, platform));
  }
  if (member.countryCode !== undefined) {
    const cc = member.countryCode.trim();
    if (meta) out.COUNTRY = sha256Hex(cc.toLowerCase());
    else out.countryCode = cc.toUpperCase();
  }
  if (member.postalCode !== undefined) {
    const zip = member.postalCode.trim().toLowerCase().replace(/\s+/g, '');
    if (meta) {
      const us = member.countryCode?.trim().toUpperCase() === 'US';
      out.ZIP = sha256Hex(us ? zip.slice(0, 5) : zip);
    } else out.postalCode = member.postalCode.trim();
  }
  const identifying = Object.keys(out).some((k) => k !== 'countryCode' && k !== 'postalCode');
  if (!identifying) {
    return {
      success: false,
      error: [...warnings, warn('member_empty', '', 'no usable identifier remains')],
    };
  }
  return warnings.length > 0
    ? { success: true, data: out, warnings }
    : { success: true, data: out };
}

function warn(code: string, field: string, message: string): Issue {
  return { code, path: field === '' ? [] : [field], message };
}
