/**
 * @module
 * Which IP addresses an outbound request may reach: public unicast only. Parses every form
 * an attacker can write an address in (decimal `2130706433`, octal `0177.0.0.1`, hex
 * `0x7f.1`, short forms, IPv6 with embedded IPv4) and refuses private, loopback, link-local,
 * CGNAT, multicast, reserved, documentation, IPv4-mapped and translated IPv6, ULA and
 * site-local addresses.
 */
import { isIPv6 } from 'node:net';

/** Why an address is refused. */
export type AddressRefusal =
  | 'not_an_ip'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link_local'
  | 'cgnat'
  | 'multicast'
  | 'reserved'
  | 'documentation'
  | 'ipv4_mapped'
  | 'ipv6_transition'
  | 'unique_local';

/** The verdict on one address. */
export type AddressVerdict =
  | { readonly allowed: true; readonly family: 4 | 6 }
  | { readonly allowed: false; readonly reason: AddressRefusal };

const V4_BLOCKS: readonly (readonly [string, number, AddressRefusal])[] = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'cgnat'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link_local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

function dotted(text: string): number {
  return text.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

const V4_TABLE = V4_BLOCKS.map(([base, bits, reason]) => {
  const size = 2 ** (32 - bits);
  return { start: dotted(base), end: dotted(base) + size, reason };
});

/**
 * Parses an IPv4 address the way `inet_aton` does (1–4 parts, each decimal, octal with a
 * leading `0`, or hex with `0x`), returning it as an unsigned 32-bit number.
 * @example
 * parseIpv4('0x7f.1'); // 2130706433 (127.0.0.1)
 */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length < 1 || parts.length > 4) return undefined;
  const values: number[] = [];
  for (const part of parts) {
    let value: number;
    if (/^0x[0-9a-f]*$/i.test(part)) value = part.length === 2 ? 0 : parseInt(part.slice(2), 16);
    else if (/^0[0-7]*$/.test(part)) value = parseInt(part, 8);
    else if (/^[1-9]\d*$/.test(part)) value = Number(part);
    else return undefined;
    values.push(value);
  }
  const last = values.pop()!;
  if (values.some((v) => v > 255)) return undefined;
  if (last >= 2 ** (8 * (4 - values.length))) return undefined;
  return values.reduce((acc, v, i) => acc + v * 2 ** (8 * (3 - i)), 0) + last;
}

/** Expands an IPv6 address (brackets and zone id stripped) into eight 16-bit groups. */
export function parseIpv6(text: string): number[] | undefined {
  const bare = text.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!isIPv6(bare)) return undefined;
  let head = bare;
  const tail: number[] = [];
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
  if (v4 !== null) {
    const n = dotted(v4[1]!);
    tail.push(Math.floor(n / 65536), n % 65536);
    head = bare.slice(0, -v4[1]!.length);
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const [left, right] = head.split('::') as [string, string | undefined];
  const groups = (s: string): number[] =>
    s === '' ? [] : s.split(':').map((g) => parseInt(g, 16));
  const l = groups(left);
  const r = [...groups(right ?? ''), ...tail];
  if (right === undefined) return [...l, ...r];
  return [...l, ...new Array<number>(8 - l.length - r.length).fill(0), ...r];
}

function classifyV4(n: number): AddressVerdict {
  if (n === 0xffffffff) return { allowed: false, reason: 'reserved' };
  for (const block of V4_TABLE)
    if (n >= block.start && n < block.end) return { allowed: false, reason: block.reason };
  return { allowed: true, family: 4 };
}

function classifyV6(g: number[]): AddressVerdict {
  const [a = 0, b = 0] = g;
  const zeroTo = (k: number): boolean => g.slice(0, k).every((x) => x === 0);
  if (zeroTo(8)) return { allowed: false, reason: 'unspecified' };
  if (zeroTo(7) && g[7] === 1) return { allowed: false, reason: 'loopback' };
  if (zeroTo(5) && g[5] === 0xffff) return { allowed: false, reason: 'ipv4_mapped' };
  if (zeroTo(6)) return { allowed: false, reason: 'ipv4_mapped' };
  if (a === 0x64 && b === 0xff9b) return { allowed: false, reason: 'ipv6_transition' };
  if (a === 0x2002 || (a === 0x2001 && b === 0))
    return { allowed: false, reason: 'ipv6_transition' };
  if (a === 0x2001 && b === 0xdb8) return { allowed: false, reason: 'documentation' };
  if ((a & 0xfe00) === 0xfc00) return { allowed: false, reason: 'unique_local' };
  if ((a & 0xffc0) === 0xfe80) return { allowed: false, reason: 'link_local' };
  if ((a & 0xffc0) === 0xfec0) return { allowed: false, reason: 'private' };
  if ((a & 0xff00) === 0xff00) return { allowed: false, reason: 'multicast' };
  // Only global unicast (2000::/3) is public; everything else is reserved.
  if ((a & 0xe000) !== 0x2000) return { allowed: false, reason: 'reserved' };
  if (a === 0x2001 && b < 0x200) return { allowed: false, reason: 'reserved' };
  return { allowed: true, family: 6 };
}

/**
 * Classifies an address literal in any form; anything that is not an IP is refused.
 * @example
 * classifyAddress('[::ffff:127.0.0.1]'); // { allowed: false, reason: 'ipv4_mapped' }
 * classifyAddress('93.184.215.14');      // { allowed: true, family: 4 }
 */
export function classifyAddress(text: string): AddressVerdict {
  const v6 = text.includes(':') ? parseIpv6(text) : undefined;
  if (v6 !== undefined) return classifyV6(v6);
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return classifyV4(v4);
  return { allowed: false, reason: 'not_an_ip' };
}

/** True when `host` is written as an IP address in any form (not a name to resolve). */
export function isAddressLiteral(host: string): boolean {
  return (host.includes(':') && parseIpv6(host) !== undefined) || parseIpv4(host) !== undefined;
}
