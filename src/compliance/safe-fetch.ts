/**
 * @module
 * `fetch` for user-supplied URLs. Each hop is checked by `checkOutboundUrl`, the connection
 * goes to the very address that was checked (no second DNS lookup a rebinding server could
 * answer differently), redirects are followed by hand and re-checked, credentials are dropped
 * on cross-origin redirects, and the body size and time are bounded.
 */
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { Result } from '../errors.js';
import { checkOutboundUrl, type OutboundPolicy, type ResolvedAddress } from './ssrf-guard.js';

/** Options of {@link safeFetch}. */
export interface SafeFetchOptions extends OutboundPolicy {
  /** @default "GET" */
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
  /** Redirects followed before giving up. @default 5 */
  readonly maxRedirects?: number;
  /** Largest response body read. @default 1_048_576 */
  readonly maxBodyBytes?: number;
  /** Whole-request time limit. @default 10_000 */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

interface Hop {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Buffer;
}

function fail<T>(code: string, message: string): Result<T> {
  return { success: false, error: [{ code, path: ['url'], message }] };
}

function pinned(address: ResolvedAddress): LookupFunction {
  return ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options.all === true)
      callback(null, [{ address: address.address, family: address.family }]);
    else callback(null, address.address, address.family);
  }) as LookupFunction;
}

function request(
  url: URL,
  address: ResolvedAddress,
  options: SafeFetchOptions & { method: string; headers: Record<string, string> },
  signal: AbortSignal,
): Promise<Hop> {
  const lib = url.protocol === 'https:' ? https : http;
  const limit = options.maxBodyBytes ?? 1_048_576;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      url,
      { method: options.method, headers: options.headers, lookup: pinned(address), signal },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > limit) {
            reject(new Error('response_too_large'));
            res.destroy();
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => {
          const headers = new Headers();
          for (const [k, v] of Object.entries(res.headers)) {
            for (const value of Array.isArray(v) ? v : v === undefined ? [] : [v])
              headers.append(k, value);
          }
          resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks) });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Fetches a user-supplied URL safely; blocked hops, network errors, oversize bodies and
 * timeouts are failures with a code (`ssrf_blocked`, `too_many_redirects`, `network_error`…).
 * @example
 * const res = await safeFetch(spec.notify.webhookUrl, { method: 'POST', body, headers });
 * if (!res.success) log.warn('webhook refused', { issues: res.error });
 */
export async function safeFetch(
  input: string | URL,
  options: SafeFetchOptions = {},
): Promise<Result<Response>> {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 10_000);
  const signal =
    options.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout]);
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return fail('url_invalid', 'not an absolute URL');
  }
  let method = (options.method ?? 'GET').toUpperCase();
  let body = options.body;
  let headers: Record<string, string> = { ...options.headers };
  for (let hop = 0; ; hop++) {
    const cleared = await checkOutboundUrl(url, options);
    if (!cleared.success) return cleared;
    let response: Hop;
    try {
      response = await request(
        url,
        cleared.data.addresses[0]!,
        { ...options, method, headers, ...(body !== undefined && { body }) },
        signal,
      );
    } catch (error) {
      const code =
        error instanceof Error && error.message === 'response_too_large'
          ? 'response_too_large'
          : 'network_error';
      return fail(code, `request to ${url.origin} failed`);
    }
    const location = response.headers.get('location');
    if (!REDIRECTS.has(response.status) || location === null) {
      const empty = response.status === 204 || response.status === 304 || method === 'HEAD';
      return {
        success: true,
        data: new Response(empty ? null : response.body, {
          status: response.status,
          headers: response.headers,
        }),
      };
    }
    if (hop >= (options.maxRedirects ?? 5))
      return fail('too_many_redirects', `more than ${options.maxRedirects ?? 5} redirects`);
    let next: URL;
    try {
      next = new URL(location, url);
    } catch {
      return fail('url_invalid', 'the redirect location is not a URL');
    }
    if (next.origin !== url.origin) {
      // Credentials were meant for the first origin only.
      headers = Object.fromEntries(
        Object.entries(headers).filter(
          ([k]) => !/^(authorization|cookie|proxy-authorization)$/i.test(k),
        ),
      );
    }
    if (
      response.status === 303 ||
      ((response.status === 301 || response.status === 302) && method === 'POST')
    ) {
      method = 'GET';
      body = undefined;
      headers = Object.fromEntries(
        Object.entries(headers).filter(([k]) => !/^content-(type|length)$/i.test(k)),
      );
    }
    url = next;
  }
}
