import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboundGuard, OutboundRefusal, type ResolveHost } from '../../src/net/outbound-guard.js';
import { outboundRequest } from '../../src/net/outbound-request.js';

/** A resolver standing in for DNS: each name's addresses, and how often it was asked. */
function fakeDns(names: Record<string, string[]>): ResolveHost & { asked: string[] } {
  const asked: string[] = [];
  const resolve = async (hostname: string) => {
    asked.push(hostname);
    const addresses = names[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(resolve, { asked });
}

const refusal = (guard: OutboundGuard, url: string) => guard.check(new URL(url)).then(() => 'allowed', (error: unknown) => (error instanceof OutboundRefusal ? error.message : `failed: ${(error as Error).message}`));

describe('the outbound guard', () => {
  const guard = new OutboundGuard([], fakeDns({ 'metadata.test': ['169.254.169.254'], 'mixed.test': ['93.184.215.14', '10.1.2.3'], 'public.test': ['93.184.215.14'] }));

  it.each([
    ['http://169.254.169.254/latest/meta-data/', 'a link-local address (169.254.0.0/16, fe80::/10), where cloud metadata services answer'],
    ['http://metadata.test/', 'a link-local address'],
    ['http://127.0.0.1:8600/', 'a loopback address'],
    ['http://127.1/', 'a loopback address'],
    ['http://[::1]/', 'a loopback address'],
    ['http://[::ffff:127.0.0.1]/', 'a loopback address'],
    ['http://[::ffff:a9fe:a9fe]/', 'a link-local address'],
    ['http://10.0.0.5/', 'a private address (RFC 1918)'],
    ['http://192.168.1.1/', 'a private address (RFC 1918)'],
    ['http://172.16.0.1/', 'a private address (RFC 1918)'],
    ['http://[fd00::1]/', 'a private address (IPv6 unique local'],
    ['http://[fe80::1]/', 'a link-local address'],
    ['http://0.0.0.0/', 'the unspecified address'],
    ['http://[::]/', 'the unspecified address'],
    ['http://224.0.0.1/', 'a multicast address'],
    ['http://100.100.100.200/', 'a shared address (100.64.0.0/10)'],
    ['http://[::7f00:1]/', 'an IPv4-compatible IPv6 address'],
    ['http://mixed.test/', 'mixed.test resolves to 10.1.2.3, which is a private address'],
  ])('refuses %s, saying why and how to allow it', async (url, reason) => {
    const message = await refusal(guard, url);
    expect(message).toContain(reason);
    expect(message).toContain('add the host or its address to --outbound-allow / LOCKSTEP_OUTBOUND_ALLOW');
  });

  it('lets public addresses through, and refuses what is not http(s)', async () => {
    await expect(guard.check(new URL('http://public.test/'))).resolves.toEqual({ address: '93.184.215.14', family: 4 });
    await expect(guard.check(new URL('https://[2606:4700::1111]/'))).resolves.toEqual({ address: '2606:4700::1111', family: 6 });
    expect(await refusal(guard, 'file:///etc/passwd')).toBe('file: URLs are not called; give an http:// or https:// URL');
    expect(await refusal(guard, 'http://nowhere.test/')).toBe('failed: getaddrinfo ENOTFOUND nowhere.test');
  });

  it('lets through what the allow-list names: a host, an address, or a range', async () => {
    const dns = fakeDns({ 'peer.internal': ['10.9.8.7'], 'other.internal': ['10.9.8.7'] });
    const allowing = new OutboundGuard(['peer.internal', '127.0.0.1', '192.168.0.0/16', 'fd00::/8'], dns);
    await expect(allowing.check(new URL('http://peer.internal/'))).resolves.toMatchObject({ address: '10.9.8.7' });
    await expect(allowing.check(new URL('http://PEER.internal/'))).resolves.toMatchObject({ address: '10.9.8.7' });
    expect(await refusal(allowing, 'http://other.internal/')).toContain('other.internal resolves to 10.9.8.7');
    await expect(allowing.check(new URL('http://127.0.0.1:9/'))).resolves.toMatchObject({ address: '127.0.0.1' });
    await expect(allowing.check(new URL('http://[::ffff:127.0.0.1]/'))).resolves.toMatchObject({ address: '::ffff:7f00:1' });
    expect(await refusal(allowing, 'http://127.0.0.2/')).toContain('a loopback address');
    await expect(allowing.check(new URL('http://192.168.44.1/'))).resolves.toMatchObject({ address: '192.168.44.1' });
    await expect(allowing.check(new URL('http://[fd12::1]/'))).resolves.toMatchObject({ address: 'fd12::1' });
    expect(await refusal(allowing, 'http://169.254.169.254/')).toContain('a link-local address');
  });
});

describe('an outbound request', () => {
  interface Seen {
    url: string;
    headers: IncomingHttpHeaders;
  }
  let answer: (res: ServerResponse) => void = (res) => res.end('ok');
  const seen: Seen[] = [];
  let server: ReturnType<typeof createServer>;
  let port: number;

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ url: req.url ?? '', headers: req.headers });
      answer(res);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const post = (guard: OutboundGuard, url: string) => outboundRequest(guard, new URL(url), { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello', signal: AbortSignal.timeout(5000) });

  it('sends nothing to a listener whose address the allow-list leaves out', async () => {
    const before = seen.length;
    const guard = new OutboundGuard(['10.0.0.0/8']);
    for (const url of [`http://127.0.0.1:${port}/`, `http://localhost:${port}/`, `http://[::ffff:127.0.0.1]:${port}/`]) {
      await expect(post(guard, url)).rejects.toBeInstanceOf(OutboundRefusal);
    }
    expect(seen.length).toBe(before);
  });

  it('connects to the address it checked, under the URL\'s own host name, resolving it once', async () => {
    // No system resolver knows peer.test: the request arrives only because the checked address was used.
    const dns = fakeDns({ 'peer.test': ['127.0.0.1'] });
    const response = await post(new OutboundGuard(['127.0.0.1'], dns), `http://peer.test:${port}/inbound`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('ok');
    expect(seen.at(-1)).toMatchObject({ url: '/inbound', headers: { host: `peer.test:${port}`, 'content-length': '5' } });
    expect(dns.asked).toEqual(['peer.test']);
  });

  it('hands back a redirect instead of following it', async () => {
    answer = (res) => res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
    const before = seen.length;
    const response = await post(new OutboundGuard(['127.0.0.1']), `http://127.0.0.1:${port}/`);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('http://169.254.169.254/latest/meta-data/');
    expect(seen.length).toBe(before + 1);
  });
});
