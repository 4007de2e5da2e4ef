import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SyncEnvelope } from '@lockstep/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredRemoteSystem } from '../../src/sync/config/sync-config-store.js';
import { OutboundGuard } from '../../src/net/outbound-guard.js';
import { PeerClient } from '../../src/sync/peer/peer-client.js';
import { verifySignature } from '../../src/sync/peer/signature.js';

const SECRET = 's'.repeat(40);
/** The stand-in peer listens on 127.0.0.1, which the guard refuses unless allowed. */
const loopback = new OutboundGuard(['127.0.0.1']);
const ID = 'a'.repeat(32);

interface Seen {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A stand-in peer whose answer each test chooses, recording what it was sent. */
let answer: (res: ServerResponse) => void = (res) => res.end();
const seen: Seen[] = [];
let server: Server;
let peerUrl: string;

beforeAll(async () => {
  server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    seen.push({ path: req.url ?? '', headers: req.headers, body });
    answer(res);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  peerUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function remoteAt(baseUrl: string): StoredRemoteSystem {
  return {
    _id: ID,
    name: 'Provider',
    description: '',
    process_sync_definition: ID,
    external_id: 'b'.repeat(32),
    connection: { base_url: baseUrl, user_name: 'sync.api', password: 'peer-password', signing_secrets: [SECRET, 'o'.repeat(40)] },
    inbound_api_user: ID,
    run_as_user: ID,
    error_subflow: null,
    inbound_state: 'active',
    outbound_state: 'active',
    sys_domain: 'global',
    sys_created_on: '2026-01-01 00:00:00',
    sys_created_by: 'admin',
    sys_updated_on: '2026-01-01 00:00:00',
    sys_updated_by: 'admin',
  };
}

const handshake = { remote_system: 'b'.repeat(32), source_remote_system: ID, instance: 'consumer', process_events: ['Incident to case'] };

function json(status: number, body: unknown, type = 'application/json') {
  return (res: ServerResponse) => res.writeHead(status, { 'content-type': type }).end(JSON.stringify(body));
}

const problem = (status: number, slug: string, detail: string) => json(status, { type: `urn:lockstep:problem:${slug}`, title: 't', status, detail }, 'application/problem+json');

describe('the peer client', () => {
  it('posts signed JSON with Basic credentials to the peer API under the base URL, and reads the answer', async () => {
    answer = json(200, { result: { ok: true, findings: [], process_events: ['Incident to case'], instance: 'provider' } });
    const result = await new PeerClient({ outbound: loopback }).handshake(remoteAt(`${peerUrl}/lockstep/`), handshake);
    expect(result).toEqual({ outcome: 'accepted', status: 200, result: { ok: true, findings: [], process_events: ['Incident to case'], instance: 'provider' } });
    const request = seen.at(-1)!;
    expect(request.path).toBe('/lockstep/api/sync/v1/handshake');
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from('sync.api:peer-password').toString('base64')}`);
    expect(JSON.parse(request.body)).toEqual(handshake);
    const now = Math.floor(Date.now() / 1000);
    // Signed with the first secret: a receiver holding only that one accepts it.
    expect(verifySignature([SECRET], request.headers['x-lockstep-timestamp'] as string, request.headers['x-lockstep-signature'] as string, request.body, now)).toEqual({ ok: true });
  });

  it('sends envelopes to the inbound API', async () => {
    answer = json(202, { result: { id: 'e', status: 'duplicate' } });
    const result = await new PeerClient({ outbound: loopback }).send(remoteAt(peerUrl), { id: 'e' } as unknown as SyncEnvelope);
    expect(result).toEqual({ outcome: 'accepted', status: 202, result: { id: 'e', status: 'duplicate' } });
    expect(seen.at(-1)!.path).toBe('/api/sync/v1/inbound');
  });

  it('names the user when the peer refuses the credentials, and never the password', async () => {
    answer = problem(401, 'unauthenticated', 'the user name and password, or the API token, are not valid');
    const result = await new PeerClient({ outbound: loopback }).handshake(remoteAt(peerUrl), handshake);
    expect(result).toMatchObject({ outcome: 'rejected', status: 401, fault: 'connection', retryable: false });
    expect(result.outcome === 'rejected' && result.message).toBe(`the peer at ${peerUrl} refused the credentials for user sync.api (401); check the connection's user name and password`);
    expect(JSON.stringify(result)).not.toContain('peer-password');
  });

  it("passes on the peer's problem when it refuses the data, as not worth retrying", async () => {
    answer = json(422, { type: 'urn:lockstep:problem:unknown-process-event', title: 't', status: 422, detail: 'no process event "X"; create it' }, 'application/problem+json');
    const result = await new PeerClient({ outbound: loopback }).send(remoteAt(peerUrl), { id: 'e' } as unknown as SyncEnvelope);
    expect(result).toMatchObject({
      outcome: 'rejected',
      fault: 'data',
      retryable: false,
      message: `the peer at ${peerUrl} refused the envelope (422): no process event "X"; create it`,
      problem: { type: 'urn:lockstep:problem:unknown-process-event', detail: 'no process event "X"; create it', errors: [] },
    });
  });

  it('does not follow a redirect, and says to fix the base URL', async () => {
    answer = (res) => res.writeHead(308, { location: 'http://elsewhere.example/api/sync/v1/handshake' }).end();
    const before = seen.length;
    const result = await new PeerClient({ outbound: loopback }).handshake(remoteAt(peerUrl), handshake);
    expect(result).toMatchObject({ outcome: 'rejected', status: 308, fault: 'connection' });
    expect(result.outcome === 'rejected' && result.message).toContain('a redirect to http://elsewhere.example/api/sync/v1/handshake; redirects are not followed');
    expect(seen.length).toBe(before + 1);
  });

  it('calls server errors, throttling and answers that are not Lockstep retryable or a connection problem', async () => {
    answer = (res) => res.writeHead(503, { 'content-type': 'text/html' }).end('<h1>Service   unavailable</h1>');
    expect(await new PeerClient({ outbound: loopback }).handshake(remoteAt(peerUrl), handshake)).toEqual({
      outcome: 'unavailable',
      status: 503,
      retryable: true,
      message: `the peer at ${peerUrl} failed to take the request (503): Service Unavailable; retry later, and if it persists check the peer's log`,
    });
    answer = problem(429, 'busy', 'slow down');
    expect(await new PeerClient({ outbound: loopback }).handshake(remoteAt(peerUrl), handshake)).toMatchObject({ outcome: 'unavailable', status: 429 });
    answer = json(200, { hello: 'world' });
    expect(await new PeerClient({ outbound: loopback }).handshake(remoteAt(peerUrl), handshake)).toMatchObject({ outcome: 'rejected', fault: 'connection', message: expect.stringContaining('not a Lockstep sync answer') });
  });

  it("never shows the body of an answer that is not a Lockstep peer's, whatever its status", async () => {
    const leak = '{"AccessKeyId":"ASIA-from-a-metadata-service","type":"urn:aws:creds","title":"t","status":500,"detail":"ASIA-detail"}';
    for (const status of [200, 400, 404, 500]) {
      answer = (res) => res.writeHead(status, { 'content-type': 'application/problem+json' }).end(leak);
      const result = await new PeerClient({ outbound: loopback }).handshake(remoteAt(peerUrl), handshake);
      expect(result).toMatchObject({ outcome: expect.not.stringMatching('accepted'), status, message: expect.stringContaining(`${status}`) });
      expect(JSON.stringify(result)).not.toContain('ASIA');
    }
  });

  it('gives up after its timeout', async () => {
    answer = (res) => setTimeout(() => res.end(), 2000).unref();
    const result = await new PeerClient({ timeoutMs: 200, outbound: loopback }).handshake(remoteAt(peerUrl), handshake);
    expect(result).toEqual({ outcome: 'unavailable', status: null, retryable: true, message: `the peer at ${peerUrl} did not answer within 0.2 s; check that it is running and reachable from this instance` });
  });

  it('says the peer is unreachable when nothing listens', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const result = await new PeerClient({ outbound: loopback }).handshake(remoteAt(url), handshake);
    expect(result).toMatchObject({ outcome: 'unavailable', retryable: true });
    expect(result.outcome === 'unavailable' && result.message).toMatch(new RegExp(`^the peer at ${url} is unreachable \\(.*ECONNREFUSED.*\\); check the connection's base URL and that the peer is running$`));
  });

  it('calls nothing but http(s) base URLs without credentials', async () => {
    const before = seen.length;
    for (const url of ['file:///etc/passwd', 'ftp://127.0.0.1/', `http://user:pw@${peerUrl.slice('http://'.length)}`]) {
      const result = await new PeerClient({ outbound: loopback }).handshake(remoteAt(url), handshake);
      expect(result).toMatchObject({ outcome: 'rejected', status: null, fault: 'connection', message: expect.stringContaining('has no usable connection') });
    }
    expect(seen.length).toBe(before);
  });
});
