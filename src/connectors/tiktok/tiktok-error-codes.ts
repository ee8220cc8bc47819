/**
 * @module
 * TikTok API for Business return codes (contract tiktok-ads.md §5) mapped to Herald's. TikTok
 * answers HTTP 200 for logical errors and throttles alike; success is `code == 0`. Throttles
 * carry no Retry-After, so {@link withTikTokRetryAfter} adds one from the code.
 */
import type { ConnectorErrorCode } from '../connector-error.js';
import type { RawResponse, ResponseFailure } from '../raw-response.js';
import { TikTokErrorBody } from './tiktok-schemas.js';

/** TikTok return code → Herald code; codes not listed are `invalid_request`. */
export const TIKTOK_ERROR_CODES: Readonly<Record<number, ConnectorErrorCode>> = {
  40016: 'rate_limited',
  40100: 'rate_limited',
  40132: 'rate_limited',
  40133: 'rate_limited',
  40502: 'quota_exhausted',
  40102: 'auth_expired',
  40104: 'auth_expired',
  40105: 'auth_expired',
  40001: 'permission_denied',
  40106: 'permission_denied',
  40113: 'permission_denied',
  40118: 'permission_denied',
  40119: 'permission_denied',
  40124: 'permission_denied',
  40125: 'permission_denied',
  40007: 'not_found',
  40300: 'not_found',
  40301: 'not_found',
  40006: 'version_sunset',
  40051: 'version_sunset',
  41001: 'version_sunset',
  40050: 'conflict',
  40202: 'transient',
  50000: 'transient',
  50002: 'transient',
  51305: 'transient',
  60001: 'transient',
};

/**
 * Seconds to wait after a throttle (contract §4: "QPS hit → retry next second; QPM hit →
 * pause ~5 min"). An app-level 40100/40016 does not say which window was hit; a minute is the
 * middle course, and the transport backs off further if it repeats.
 */
export const TIKTOK_THROTTLE_WAIT_S: Readonly<Record<number, number>> = {
  40016: 60,
  40100: 60,
  40132: 1,
  40133: 1,
};

/** Maps a TikTok response to a failure. */
export function interpretTikTok(response: RawResponse): ResponseFailure | undefined {
  const parsed = TikTokErrorBody.safeParse(response.body);
  if (!parsed.success) {
    if (response.status < 300) return undefined;
    // A 404 "page not found" on a path Herald built means the endpoint is gone (contract §1).
    if (response.status === 404) return { code: 'version_sunset' };
    if (response.status === 429) return { code: 'rate_limited' };
    return { code: response.status >= 500 ? 'transient' : 'invalid_request' };
  }
  const { code, message } = parsed.data;
  // 20001 "partially successful": Herald sends one id per call, so it cannot be partial.
  if (code === 0 || code === 20001) return undefined;
  return {
    code: TIKTOK_ERROR_CODES[code] ?? 'invalid_request',
    platformCode: String(code),
    platformMessage: message,
    mayHaveCommitted: code === 50000 || code === 50002 || code === 51305,
  };
}

/** Wraps `fetch` so a throttled answer carries the `Retry-After` TikTok leaves out. */
export function withTikTokRetryAfter(base: typeof fetch | undefined): typeof fetch {
  return async (input, init) => {
    const response = await (base ?? globalThis.fetch)(input, init);
    const parsed = TikTokErrorBody.safeParse(await readJson(response.clone()));
    const wait = parsed.success ? TIKTOK_THROTTLE_WAIT_S[parsed.data.code] : undefined;
    if (wait === undefined || response.headers.has('retry-after')) return response;
    const headers = new Headers(response.headers);
    headers.set('retry-after', String(wait));
    return new Response(response.body, {
      status: response.status,
      statusText: response.statusText,
      headers,
    });
  };
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}
