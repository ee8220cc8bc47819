import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyAddress, parseIpv4, parseIpv6 } from '../../src/compliance/ip-address-policy.js';
import { safeFetch } from '../../src/compliance/safe-fetch.js';
import {
  checkOutboundUrl,
  systemResolver,
  type Resolver,
} from '../../src/compliance/ssrf-guard.js';

const publicResolver: Resolver = () => Promise.resolve([{ address: '93.184.215.14', family: 4 }]);

const FORBIDDEN_URLS = [
  'https://127.0.0.1/',
  'https://127.1/',
  'https://2130706433/',
  'https://0x7f000001/',
  'https://0x7f.0.0.1/',
  'https://0177.0.0.1/',
  'https://017700000001/',
  'https://0/',
  'https://0.0.0.0/',
  'https://10.0.0.1/',
  'https://172.16.5.4/',
  'https://172.31.255.255/',
  'https://192.168.1.1/',
  'https://169.254.169.254/latest/meta-data/',
  'https://100.64.0.1/',
  'https://100.127.255.254/',
  'https://224.0.0.1/',
  'https://239.255.255.250/',
  'https://255.255.255.255/',
  'https://240.0.0.1/',
  'https://198.18.0.1/',
  'https://192.0.2.1/',
  'https://[::1]/',
  'https://[::]/',
  'https://[0:0:0:0:0:0:0:1]/',
  'https://[::ffff:127.0.0.1]/',
  'https://[::ffff:7f00:1]/',
  'https://[::ffff:10.0.0.1]/',
  'https://[::ffff:93.184.215.14]/',
  'https://[::127.0.0.1]/',
  'https://[64:ff9b::7f00:1]/',
  'https://[2002:7f00:1::]/',
  'https://[2001:0::1]/',
  'https://[2001:db8::1]/',
  'https://[fc00::1]/',
  'https://[fd12:3456::1]/',
  'https://[fe80::1]/',
  'https://[fec0::1]/',
  'https://[ff02::1]/',
  'https://[100::1]/',
  'https://localhost/',
  'https://api.localhost/',
  'https://user:pass@example.com/',
  'http://example.com/',
  'ftp://example.com/',
  'file:///etc/passwd',
  'not a url',
];

describe('classifyAddress', () => {
  it('parses every IPv4 spelling to the same number', () => {
    for (const form of [
      '127.0.0.1',
      '2130706433',
      '0x7f000001',
      '0x7f.1',
      '0177.0.0.1',
      '127.1',
      '0x7F.0.0.0x1',
    ]) {
      expect(parseIpv4(form), form).toBe(2130706433);
    }
    for (const form of ['256.0.0.1', '1.2.3.4.5', '08.0.0.1', 'a.b.c.d', '1.16777216', '']) {
      expect(parseIpv4(form), form).toBeUndefined();
    }
    expect(parseIpv4('0x')).toBe(0);
  });

  it('expands IPv6 with embedded IPv4', () => {
    expect(parseIpv6('[::ffff:127.0.0.1]')).toEqual([0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]);
    expect(parseIpv6('1:2:3:4:5:6:7:8')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(parseIpv6('fe80::1%eth0')).toEqual([0xfe80, 0, 0, 0, 0, 0, 0, 1]);
    expect(parseIpv6('nope')).toBeUndefined();
  });

  it('allows public unicast and refuses names', () => {
    expect(classifyAddress('93.184.215.14')).toEqual({ allowed: true, family: 4 });
    expect(classifyAddress('2606:4700:4700::1111')).toEqual({ allowed: true, family: 6 });
    expect(classifyAddress('example.com')).toEqual({ allowed: false, reason: 'not_an_ip' });
  });
});

describe('checkOutboundUrl', () => {
  it('refuses every URL of the corpus when it names a forbidden host', async () => {
    const outcomes = await Promise.all(
      FORBIDDEN_URLS.map((u) => checkOutboundUrl(u, { resolver: publicResolver })),
    );
    const allowed = FORBIDDEN_URLS.filter((_, i) => outcomes[i]!.success);
    expect(allowed).toEqual([]);
  });

  it('refuses a name that resolves to any forbidden address when DNS points inward', async () => {
    const answers: Record<string, { address: string; family: number }[]> = {
      'rebind.test': [{ address: '127.0.0.1', family: 4 }],
      'mixed.test': [
        { address: '93.184.215.14', family: 4 },
        { address: '10.1.2.3', family: 4 },
      ],
      'v6.test': [{ address: '::ffff:169.254.169.254', family: 6 }],
      'empty.test': [],
    };
    const resolver: Resolver = (host) =>
      host in answers ? Promise.resolve(answers[host]!) : Promise.reject(new Error('ENOTFOUND'));
    for (const host of ['rebind.test', 'mixed.test', 'v6.test', 'empty.test', 'missing.test']) {
      const result = await checkOutboundUrl(`https://${host}/hook`, { resolver });
      expect(result.success, host).toBe(false);
    }
  });

  it('allows a public name and the sandbox only through the allowlist', async () => {
    const ok = await checkOutboundUrl('https://hooks.example.com/x', { resolver: publicResolver });
    expect(ok.success && ok.data.addresses).toEqual([{ address: '93.184.215.14', family: 4 }]);
    const loop: Resolver = () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
    const byHost = await checkOutboundUrl('https://sandbox.test/x', {
      resolver: loop,
      allowlist: ['sandbox.test'],
    });
    expect(byHost.success).toBe(true);
    const byOrigin = await checkOutboundUrl('http://127.0.0.1:4010/x', {
      protocols: ['http:'],
      allowlist: ['http://127.0.0.1:4010'],
    });
    expect(byOrigin.success).toBe(true);
    const otherPort = await checkOutboundUrl('http://127.0.0.1:4011/x', {
      protocols: ['http:'],
      allowlist: ['http://127.0.0.1:4010'],
    });
    expect(otherPort.success).toBe(false);
    expect((await checkOutboundUrl('https://[2606:4700:4700::1111]/')).success).toBe(true);
  });

  it('uses the system resolver by default', async () => {
    const answers = await systemResolver('localhost');
    expect(answers.length).toBeGreaterThan(0);
    expect((await checkOutboundUrl('https://herald-nonexistent.invalid/')).success).toBe(false);
  });
});

describe('safeFetch', () => {
  let entry: Server;
  let forbidden: Server;
  let entryOrigin = '';
  let forbiddenOrigin = '';
  let forbiddenConnections = 0;
  const seen: { method: string; auth: string | undefined; body: string }[] = [];

  const listen = (server: Server): Promise<string> =>
    new Promise((resolve) => {
      server.listen(0, '127.0.0.1', () => {
        resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
      });
    });

  beforeAll(async () => {
    forbidden = createServer((_req, res) => res.end('secret internal data'));
    forbidden.on('connection', () => {
      forbiddenConnections++;
    });
    forbiddenOrigin = await listen(forbidden);
    entry = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', auth: req.headers.authorization, body });
        const redirects: Record<string, readonly [string, number]> = {
          '/to-forbidden': [`${forbiddenOrigin}/admin`, 302],
          '/to-metadata': ['http://169.254.169.254/latest/meta-data/', 302],
          '/to-decimal': ['http://2130706433/', 302],
          '/to-mapped': ['http://[::ffff:127.0.0.1]/', 302],
          '/to-name': ['http://rebind.test/', 302],
          '/loop': ['/loop', 302],
          '/see-other': ['/ok', 303],
          '/bad-location': ['http://[::1', 302],
        };
        const redirect = redirects[req.url ?? ''];
        if (redirect !== undefined) res.writeHead(redirect[1], { location: redirect[0] }).end();
        else if (req.url === '/big') res.end('x'.repeat(5000));
        else if (req.url === '/empty') res.writeHead(204).end();
        else
          res
            .writeHead(200, { 'content-type': 'text/plain', 'set-cookie': ['a=1', 'b=2'] })
            .end('ok');
      });
    });
    entryOrigin = await listen(entry);
  });

  afterAll(async () => {
    await Promise.all([entry, forbidden].map((s) => new Promise((r) => s.close(r))));
  });

  const sandbox = (): { protocols: string[]; allowlist: string[]; resolver: Resolver } => ({
    protocols: ['http:', 'https:'],
    allowlist: [entryOrigin],
    resolver: () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]),
  });

  it('fetches an allowlisted sandbox URL', async () => {
    const res = await safeFetch(`${entryOrigin}/ok`, sandbox());
    expect(res.success).toBe(true);
    if (!res.success) return;
    expect(res.data.status).toBe(200);
    expect(await res.data.text()).toBe('ok');
  });

  it('makes zero connections to forbidden hosts when redirects point inward', async () => {
    for (const path of ['/to-forbidden', '/to-metadata', '/to-decimal', '/to-mapped', '/to-name']) {
      const res = await safeFetch(`${entryOrigin}${path}`, sandbox());
      expect(res.success, path).toBe(false);
      if (!res.success) expect(res.error[0]?.code, path).toBe('ssrf_blocked');
    }
    const direct = await safeFetch(`${forbiddenOrigin}/admin`, { ...sandbox(), allowlist: [] });
    expect(direct.success).toBe(false);
    expect(forbiddenConnections).toBe(0);
  });

  it('stops redirect loops, rewrites 303 to GET and drops credentials across origins', async () => {
    const loop = await safeFetch(`${entryOrigin}/loop`, { ...sandbox(), maxRedirects: 3 });
    expect(!loop.success && loop.error[0]?.code).toBe('too_many_redirects');
    seen.length = 0;
    const post = await safeFetch(`${entryOrigin}/see-other`, {
      ...sandbox(),
      method: 'POST',
      body: 'payload',
      headers: { authorization: 'Bearer t', 'content-type': 'text/plain' },
    });
    expect(post.success).toBe(true);
    expect(seen.map((s) => s.method)).toEqual(['POST', 'GET']);
    expect(seen[1]?.body).toBe('');
    expect(seen[1]?.auth).toBe('Bearer t');
  });

  it('bounds the body, reports bad locations and network errors', async () => {
    const big = await safeFetch(`${entryOrigin}/big`, { ...sandbox(), maxBodyBytes: 100 });
    expect(!big.success && big.error[0]?.code).toBe('response_too_large');
    const bad = await safeFetch(`${entryOrigin}/bad-location`, sandbox());
    expect(!bad.success && bad.error[0]?.code).toBe('url_invalid');
    const invalid = await safeFetch('nope', sandbox());
    expect(!invalid.success && invalid.error[0]?.code).toBe('url_invalid');
    const empty = await safeFetch(`${entryOrigin}/empty`, sandbox());
    expect(empty.success && empty.data.status).toBe(204);
    const refused = await safeFetch('http://127.0.0.1:1/', {
      ...sandbox(),
      allowlist: ['http://127.0.0.1:1'],
    });
    expect(!refused.success && refused.error[0]?.code).toBe('network_error');
  });

  it('connects to the checked address, not a second lookup, when a public name is fetched', async () => {
    // The name resolves (once, through the injected resolver) to the allowlisted sandbox address.
    const port = new URL(entryOrigin).port;
    const res = await safeFetch(`http://pinned.test:${port}/ok`, {
      protocols: ['http:'],
      allowlist: ['pinned.test'],
      resolver: () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]),
      signal: new AbortController().signal,
    });
    expect(res.success).toBe(true);
  });
});
