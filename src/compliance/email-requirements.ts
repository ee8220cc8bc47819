/**
 * @module
 * What every marketing email must carry: a visible unsubscribe link, the sender's postal
 * address, and RFC 8058 one-click unsubscribe headers (`List-Unsubscribe` with an HTTPS URI,
 * `List-Unsubscribe-Post: List-Unsubscribe=One-Click`). Builds the headers and checks content.
 */
import type { Issue, Result } from '../errors.js';
import { ruleFor, type EmailRequirements } from './regional-policy.js';

/** Where a recipient unsubscribes. */
export interface UnsubscribeTarget {
  /** HTTPS endpoint that accepts the one-click POST; personalised per recipient. */
  readonly url: string;
  /** Optional `mailto:` fallback address. */
  readonly mailto?: string;
}

/** The value of the RFC 8058 `List-Unsubscribe-Post` header. */
export const ONE_CLICK_VALUE = 'List-Unsubscribe=One-Click';

/**
 * Builds `List-Unsubscribe` and `List-Unsubscribe-Post`. Fails when the URL is not HTTPS,
 * which RFC 8058 requires for one-click.
 * @example
 * requiredEmailHeaders({ url: 'https://example.com/u/abc' });
 * // { success: true, data: { 'List-Unsubscribe': '<https://example.com/u/abc>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } }
 */
export function requiredEmailHeaders(target: UnsubscribeTarget): Result<Record<string, string>> {
  let url: URL;
  try {
    url = new URL(target.url);
  } catch {
    return fail('unsubscribe_url_invalid', ['url'], `"${target.url}" is not a URL`);
  }
  if (url.protocol !== 'https:') {
    return fail('unsubscribe_url_not_https', ['url'], 'RFC 8058 one-click needs an https URL', [
      `use https://${url.host}${url.pathname}${url.search}`,
    ]);
  }
  const uris = [`<${url.href}>`];
  if (target.mailto !== undefined) uris.push(`<mailto:${target.mailto}>`);
  return {
    success: true,
    data: { 'List-Unsubscribe': uris.join(', '), 'List-Unsubscribe-Post': ONE_CLICK_VALUE },
  };
}

/** A composed email as the content check sees it. */
export interface EmailContent {
  readonly html?: string;
  readonly text?: string;
  /** Headers, any case. */
  readonly headers: Readonly<Record<string, string>>;
  /** The campaign's unsubscribe URL, which the body must link to. */
  readonly unsubscribeUrl?: string;
  /** The campaign's postal address, which the body must show. */
  readonly postalAddress?: string;
}

/**
 * Checks an email against a region's requirements; every problem is an issue.
 * @param requirements - @default the strictest rule (`ruleFor(undefined).emailContent`)
 */
export function checkEmailContent(
  email: EmailContent,
  requirements: EmailRequirements = ruleFor(undefined).emailContent,
): Result<EmailContent> {
  const issues: Issue[] = [];
  const body = `${email.html ?? ''}\n${email.text ?? ''}`;
  const headers = new Map(Object.entries(email.headers).map(([k, v]) => [k.toLowerCase(), v]));
  if (requirements.unsubscribeLink) {
    if (email.unsubscribeUrl === undefined) {
      issues.push(
        issue('unsubscribe_url_missing', ['unsubscribeUrl'], 'no unsubscribe URL is configured', [
          'set compliance.unsubscribeUrl',
        ]),
      );
    } else if (!body.includes(email.unsubscribeUrl)) {
      issues.push(
        issue(
          'unsubscribe_link_missing',
          ['body'],
          'the body does not link to the unsubscribe URL',
          ['add a visible unsubscribe link to the footer'],
        ),
      );
    }
  }
  if (requirements.postalAddress) {
    if (email.postalAddress === undefined || email.postalAddress.trim() === '') {
      issues.push(
        issue('postal_address_missing', ['postalAddress'], 'no postal address is configured', [
          'set compliance.postalAddress',
        ]),
      );
    } else if (!normalised(body).includes(normalised(email.postalAddress))) {
      issues.push(
        issue('postal_address_not_shown', ['body'], 'the body does not show the postal address', [
          'add the postal address to the footer',
        ]),
      );
    }
  }
  if (requirements.oneClickUnsubscribe) {
    const list = headers.get('list-unsubscribe');
    if (list === undefined || !/<https:\/\/[^>]+>/i.test(list)) {
      issues.push(
        issue(
          'list_unsubscribe_missing',
          ['headers', 'List-Unsubscribe'],
          'List-Unsubscribe with an https URI is missing',
          ['use requiredEmailHeaders()'],
        ),
      );
    }
    if (headers.get('list-unsubscribe-post')?.trim() !== ONE_CLICK_VALUE) {
      issues.push(
        issue(
          'list_unsubscribe_post_missing',
          ['headers', 'List-Unsubscribe-Post'],
          `List-Unsubscribe-Post must be "${ONE_CLICK_VALUE}"`,
          ['use requiredEmailHeaders()'],
        ),
      );
    }
  }
  return issues.length === 0 ? { success: true, data: email } : { success: false, error: issues };
}

function normalised(text: string): string {
  return text
    .replace(/<[^>]*>/g, ' ')
    .replace(/[\s,]+/g, ' ')
    .trim()
    .toLowerCase();
}

function issue(
  code: string,
  path: readonly (string | number)[],
  message: string,
  suggestions: readonly string[],
): Issue {
  return { code, path, message, suggestions };
}

function fail<T>(
  code: string,
  path: readonly (string | number)[],
  message: string,
  suggestions: readonly string[] = [],
): Result<T> {
  return { success: false, error: [issue(code, path, message, suggestions)] };
}
