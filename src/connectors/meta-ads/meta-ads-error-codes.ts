/**
 * @module
 * Meta Marketing API error codes (contract meta-ads.md §4–5) mapped to Herald's, and the
 * throttle wait read from Meta's usage headers. Throttles are HTTP 400 with the code in the
 * body and no Retry-After (unconfirmed): the wait comes from `X-Business-Use-Case-Usage`
 * (`estimated_time_to_regain_access`, minutes) or `X-Ad-Account-Usage` (`reset_time_duration`,
 * seconds).
 */
import type { ConnectorErrorCode } from '../connector-error.js';
import type { RawResponse, ResponseFailure } from '../raw-response.js';
import { MetaErrorBody } from './meta-ads-schemas.js';

/** Throttle codes: app (4), user/ad account (17, 613) and Business Use Case (80000–80014). */
export function isMetaThrottle(code: number): boolean {
  return code === 4 || code === 17 || code === 613 || (code >= 80_000 && code <= 80_014);
}

/**
 * A throttle longer than this is `quota_exhausted` (a business retry, e.g. the one-hour block
 * after a fifth budget change), not a transport wait.
 */
export const META_LONGEST_TRANSPORT_WAIT_MS = 5 * 60_000;

/** Milliseconds until Meta restores access, from its usage headers; 0 when they name none. */
export function metaRegainMs(headers: Headers): number {
  let wait = 0;
  const buc = parseJson(headers.get('x-business-use-case-usage'));
  if (buc && typeof buc === 'object') {
    for (const entries of Object.values(buc as Record<string, unknown>)) {
      for (const entry of Array.isArray(entries) ? (entries as unknown[]) : []) {
        const minutes = Number((entry as Record<string, unknown>).estimated_time_to_regain_access);
        if (Number.isFinite(minutes)) wait = Math.max(wait, minutes * 60_000);
      }
    }
  }
  const account = parseJson(headers.get('x-ad-account-usage')) as
    Record<string, unknown> | undefined;
  const reset = Number(account?.reset_time_duration);
  if (Number.isFinite(reset) && Number(account?.acc_id_util_pct) >= 100)
    wait = Math.max(wait, reset * 1000);
  return wait;
}

function parseJson(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function metaCode(code: number, subcode: number | undefined, regainMs: number): ConnectorErrorCode {
  if (isMetaThrottle(code))
    return regainMs > META_LONGEST_TRANSPORT_WAIT_MS ? 'quota_exhausted' : 'rate_limited';
  if (code === 190 || code === 102) return 'auth_expired';
  if (code === 10 || (code >= 200 && code <= 299)) return 'permission_denied';
  if (code === 100 && subcode === 33) return 'not_found';
  // 2635 "deprecated version of the Ads API" is observed in client code, not in the contract
  // (unconfirmed); Meta usually serves a retired version with the next one instead.
  if (code === 2635) return 'version_sunset';
  if (code === 1 || code === 2 || code < 0) return 'transient';
  return 'invalid_request';
}

function statusCode(status: number): ConnectorErrorCode {
  if (status === 401) return 'auth_expired';
  if (status === 403) return 'permission_denied';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'transient';
  return 'invalid_request';
}

/** Maps a Marketing API response to a failure. */
export function interpretMetaAds(response: RawResponse): ResponseFailure | undefined {
  if (response.status < 300) return undefined;
  const parsed = MetaErrorBody.safeParse(response.body);
  if (!parsed.success) return { code: statusCode(response.status) };
  const { code, error_subcode: subcode, message } = parsed.data.error;
  return {
    code: metaCode(code, subcode, metaRegainMs(response.headers)),
    platformCode: subcode === undefined ? String(code) : `${code}/${subcode}`,
    platformMessage: message,
  };
}

/**
 * Wraps `fetch` so a throttled answer carries `Retry-After` derived from Meta's usage headers,
 * which the shared HTTP client honours (it pauses the lane and reports `retryAfterMs`);
 * `onWait` hears every wait so long ones can be reported on `quota_exhausted` errors.
 */
export function withMetaRetryAfter(
  base: typeof fetch | undefined,
  onWait: (waitMs: number) => void,
): typeof fetch {
  return async (input, init) => {
    const response = await (base ?? globalThis.fetch)(input, init);
    const wait = metaRegainMs(response.headers);
    if (wait === 0) return response;
    onWait(wait);
    if (response.headers.has('retry-after')) return response;
    const headers = new Headers(response.headers);
    headers.set('retry-after', String(Math.ceil(wait / 1000)));
    return new Response(await response.arrayBuffer(), {
      status: response.status,
      statusText: response.statusText,
      headers,
    });
  };
}
