import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/problem.js';
import { activate, patch, remoteSystem, startPeerPair, type PeerSide } from '../sync/peer-pair.js';

const HOW_TO_ALLOW = 'to call it anyway, add the host or its address to --outbound-allow / LOCKSTEP_OUTBOUND_ALLOW';

/**
 * Real runtimes over HTTP whose allow-list (10.0.0.0/8) leaves out
 * 127.0.0.1, where a listener stands in for whatever a base URL could
 * reach inside the network: every base URL that would reach it is refused
 * by Validate and Activate, and the listener never hears a request.
 */
describe('Validate and Activate on a runtime whose outbound allow-list leaves out the address', () => {
  let a: PeerSide;
  let b: PeerSide;
  let listener: Server;
  let port: number;
  const requests: string[] = [];

  beforeAll(async () => {
    listener = createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"AccessKeyId":"ASIA-metadata-credentials"}');
    });
    listener.listen(0, '127.0.0.1');
    await once(listener, 'listening');
    port = (listener.address() as AddressInfo).port;
    ({ a, b } = await startPeerPair(() => ({ 'outbound-allow': '10.0.0.0/8' })));
  });
  afterAll(async () => {
    await Promise.all([a?.runtime.dispose(), b?.runtime.dispose()]);
    await new Promise<void>((resolve) => listener.close(() => resolve()));
  });

  const pointAt = (baseUrl: string) => patch(a.runtime, `/api/lockstep/v1/sync/remote-systems/${a.remoteSystemId}`, { connection: { base_url: baseUrl } });

  it('refuses a cloud metadata base URL, saying why and what to set, and activates nothing', async () => {
    await pointAt('http://169.254.169.254/latest');
    const problem = await expectProblem(await activate(a), 422, 'remote-system-not-valid');
    expect(problem.errors).toEqual([
      {
        path: 'connection',
        message: `the peer at http://169.254.169.254/latest is not called: 169.254.169.254 is a link-local address (169.254.0.0/16, fe80::/10), where cloud metadata services answer; ${HOW_TO_ALLOW}`,
      },
    ]);
    expect(await remoteSystem(a)).toMatchObject({ inbound_state: 'disabled', outbound_state: 'disabled' });
  });

  it.each([
    ['the loopback address', (port: number) => `http://127.0.0.1:${port}`, 'a loopback address'],
    ['a name for it', (port: number) => `http://localhost:${port}`, 'localhost resolves to'],
    ['its IPv4-mapped form', (port: number) => `http://[::ffff:127.0.0.1]:${port}`, 'a loopback address'],
  ])('refuses a base URL at %s, and the listener there hears nothing', async (_case, url, reason) => {
    await pointAt(url(port));
    const problem = await expectProblem(await activate(a), 422, 'remote-system-not-valid');
    expect(problem.errors).toEqual([{ path: 'connection', message: expect.stringContaining(reason) }]);
    expect(problem.errors?.[0]?.message).toContain(HOW_TO_ALLOW);
    expect(requests).toEqual([]);
  });

  it('refuses the peer runtime itself, on 127.0.0.1, until the allow-list names it', async () => {
    await pointAt(b.runtime.url);
    const problem = await expectProblem(await activate(a), 422, 'remote-system-not-valid');
    expect(problem.errors).toEqual([{ path: 'connection', message: `the peer at ${b.runtime.url} is not called: 127.0.0.1 is a loopback address, this host itself; ${HOW_TO_ALLOW}` }]);
  });
});
