/**
 * @module
 * Google Ads `google.rpc.Status` / `GoogleAdsFailure` errors (contract google-ads.md §4–5)
 * mapped to Herald's codes, and `quotaErrorDetails.retryDelay` turned into the `Retry-After`
 * the shared HTTP client honours.
 */
import type { ConnectorErrorCode } from '../connector-error.js';
import type { RawResponse, ResponseFailure } from '../raw-response.js';
import { GoogleErrorBody } from './google-ads-schemas.js';

/** A quota wait longer than this is `quota_exhausted` (the daily operations quota). */
export const GOOGLE_ADS_LONGEST_TRANSPORT_WAIT_MS = 5 * 60_000;

/** The first `GoogleAdsError` of a body: `category.VALUE`, message and retry delay in ms. */
export function firstGoogleAdsError(
  body: unknown,
): { code: string; message: string; retryDelayMs: number | undefined } | undefined {
  const parsed = GoogleErrorBody.safeParse(body);
  if (!parsed.success) return undefined;
  const first = parsed.data.error.details?.flatMap((d) => d.errors ?? [])[0];
  const [category, value] = Object.entries(first?.errorCode ?? {})[0] ?? [
    'status',
    parsed.data.error.status ?? String(parsed.data.error.code),
  ];
  const delay = /^(\d+(?:\.\d+)?)s$/.exec(first?.details?.quotaErrorDetails?.retryDelay ?? '');
  return {
    code: `${category}.${value}`,
    message: first?.message ?? parsed.data.error.message,
    retryDelayMs: delay ? Math.ceil(Number(delay[1]) * 1000) : undefined,
  };
}

function googleCode(
  status: number,
  code: string,
  retryDelayMs: number | undefined,
): ConnectorErrorCode {
  if (status === 429 || code.startsWith('quotaError.')) {
    return code === 'quotaError.RESOURCE_EXHAUSTED' ||
      (retryDelayMs ?? 0) > GOOGLE_ADS_LONGEST_TRANSPORT_WAIT_MS
      ? 'quota_exhausted'
      : 'rate_limited';
  }
  if (status === 401 || code.startsWith('authenticationError.')) return 'auth_expired';
  if (status === 403 || code.startsWith('authorizationError.')) return 'permission_denied';
  if (status === 404 || code.endsWith('.RESOURCE_NOT_FOUND')) return 'not_found';
  if (status === 501) return 'version_sunset';
  if (status >= 500) return 'transient';
  return 'invalid_request';
}

/**
 * Maps a Google Ads response to a failure. A sunset version's answer is unconfirmed
 * (contract §1): a 404 without the JSON envelope (Google's HTML "URL was not found" page for
 * a path Herald built) or a 501 `UNIMPLEMENTED` is taken as `version_sunset`, the safer
 * reading as it stops instead of retrying.
 */
export function interpretGoogleAds(response: RawResponse): ResponseFailure | undefined {
  if (response.status < 300) return undefined;
  const first = firstGoogleAdsError(response.body);
  if (!first) {
    if (response.status === 404) return { code: 'version_sunset' };
    return { code: googleCode(response.status, '', undefined) };
  }
  return {
    code: googleCode(response.status, first.code, first.retryDelayMs),
    platformCode: first.code,
    platformMessage: first.message,
  };
}

/**
 * Wraps `fetch` so a 429 carries `Retry-After` from `quotaErrorDetails.retryDelay`; `onWait`
 * hears every such wait so long ones can be reported on `quota_exhausted` errors.
 */
export function withGoogleRetryAfter(
  base: typeof fetch | undefined,
  onWait: (waitMs: number) => void,
): typeof fetch {
  return async (input, init) => {
    const response = await (base ?? globalThis.fetch)(input, init);
    if (response.status !== 429) return response;
    const text = await response.text();
    let delay: number | undefined;
    try {
      delay = firstGoogleAdsError(JSON.parse(text))?.retryDelayMs;
    } catch {
      delay = undefined;
    }
    const headers = new Headers(response.headers);
    if (delay !== undefined) {
      onWait(delay);
      if (!headers.has('retry-after')) headers.set('retry-after', String(Math.ceil(delay / 1000)));
    }
    return new Response(text, {
      status: response.status,
      statusText: response.statusText,
      headers,
    });
  };
}
