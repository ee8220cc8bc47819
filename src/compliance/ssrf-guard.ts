/**
 * @module
 * Checks a user-supplied outbound URL (a notification webhook, a callback) before Herald
 * connects to it: scheme, embedded credentials, the host as written in any IP form, and every
 * address its name resolves to. A sandbox reaches loopback only through an explicit
 * allowlist given in configuration; nothing is allowed by default.
 */
import { lookup } from 'node:dns/promises';
import type { Issue, Result } from '../errors.js';
import { classifyAddress, isAddressLiteral } from './ip-address-policy.js';

/** One resolved address. */
export interface ResolvedAddress {
  readonly address: string;
  readonly family: number;
}

/** Resolves a host name to every address it has. */
export type Resolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

/** The system resolver: `dns.lookup` with `all: true`. */
export const systemResolver: Resolver = (hostname) =>
  lookup(hostname, { all: true, verbatim: true });

/** What outbound URLs may reach. */
export interface OutboundPolicy {
  /**
   * Origins (`http://127.0.0.1:4010`) or host names (`hooks.sandbox.test`) allowed even when
   * they resolve to a forbidden address: the sandbox, by configuration only. @default []
   */
  readonly allowlist?: readonly string[];
  /** @default ["https:"] */
  readonly protocols?: readonly string[];
  /** @default systemResolver */
  readonly resolver?: Resolver;
}

/** A URL cleared for connection, with the addresses it may be reached at. */
export interface ClearedUrl {
  readonly url: URL;
  /** Addresses checked; connect to one of these, never re-resolve. */
  readonly addresses: readonly ResolvedAddress[];
  readonly allowlisted: boolean;
}

function refuse(
  code: string,
  message: string,
  suggestions: readonly string[] = [],
): Result<ClearedUrl> {
  const issue: Issue = { code, path: ['url'], message, suggestions };
  return { success: false, error: [issue] };
}

function isAllowlisted(url: URL, allowlist: readonly string[]): boolean {
  return allowlist.some((entry) =>
    entry.includes('://')
      ? new URL(entry).origin === url.origin
      : entry.toLowerCase() === url.hostname,
  );
}

/**
 * Checks one URL and resolves its host. Every resolved address must be public, so a name
 * that also resolves to a private address is refused.
 * @example
 * const cleared = await checkOutboundUrl('https://hooks.slack.com/services/…', {});
 */
export async function checkOutboundUrl(
  input: string | URL,
  policy: OutboundPolicy = {},
): Promise<Result<ClearedUrl>> {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return refuse('url_invalid', 'not an absolute URL');
  }
  const protocols = policy.protocols ?? ['https:'];
  if (!protocols.includes(url.protocol)) {
    return refuse('url_protocol', `scheme ${url.protocol} is not allowed`, [
      `use ${protocols.join(' or ')}`,
    ]);
  }
  if (url.username !== '' || url.password !== '') {
    return refuse('url_credentials', 'URLs with embedded credentials are not allowed');
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const allowlisted = isAllowlisted(url, policy.allowlist ?? []);
  if (isAddressLiteral(host)) {
    const verdict = classifyAddress(host);
    if (!verdict.allowed && !allowlisted) {
      return refuse('ssrf_blocked', `address ${host} is ${verdict.reason.replace('_', ' ')}`);
    }
    return {
      success: true,
      data: {
        url,
        addresses: [{ address: host, family: host.includes(':') ? 6 : 4 }],
        allowlisted,
      },
    };
  }
  if (!allowlisted && (host === 'localhost' || host.endsWith('.localhost'))) {
    return refuse('ssrf_blocked', `${host} is loopback`);
  }
  let addresses: readonly ResolvedAddress[];
  try {
    addresses = await (policy.resolver ?? systemResolver)(host);
  } catch {
    return refuse('dns_failed', `${host} did not resolve`);
  }
  if (addresses.length === 0) return refuse('dns_failed', `${host} has no addresses`);
  if (!allowlisted) {
    for (const { address } of addresses) {
      const verdict = classifyAddress(address);
      if (!verdict.allowed) {
        return refuse(
          'ssrf_blocked',
          `${host} resolves to a ${verdict.reason.replace('_', ' ')} address`,
        );
      }
    }
  }
  return { success: true, data: { url, addresses, allowlisted } };
}
