import { afterAll, beforeAll, expect, it } from 'vitest';
import type { StoredRemoteSystem } from '../../src/sync/config/sync-config-store.js';
import { OutboundGuard } from '../../src/net/outbound-guard.js';
import { PeerClient } from '../../src/sync/peer/peer-client.js';
import { signRequest } from '../../src/sync/peer/signature.js';
import { expectProblem } from '../support/problem.js';
import { basic, describeOnEachStore } from '../support/runtime.js';
import { activate, envelopeFrom, patch, SHARED_SECRET, signedPost, startPeerPair, type PeerSide } from './peer-pair.js';

/** A's side of the calls, made by hand: the pair listens on 127.0.0.1, which the guard refuses unless allowed. */
const peers = new PeerClient({ outbound: new OutboundGuard(['127.0.0.1']) });

const INBOUND = '/api/sync/v1/inbound';
const INBOUND_BATCH = '/api/sync/v1/inbound/batch';
const QUEUE = '/api/lockstep/v1/sync/inbound-queue';

describeOnEachStore('the inbound sync API', (variant) => {
  let a: PeerSide;
  let b: PeerSide;
  beforeAll(async () => {
    ({ a, b } = await startPeerPair(variant.settings));
    for (const side of [a, b]) {
      const response = await activate(side);
      expect(response.status, await response.clone().text()).toBe(200);
    }
  });
  afterAll(() => Promise.all([a?.runtime.dispose(), b?.runtime.dispose()]));

  async function queued(query = ''): Promise<{ items: Record<string, unknown>[]; total: number }> {
    const response = await b.runtime.call('GET', `${QUEUE}${query}`);
    expect(response.status, await response.clone().text()).toBe(200);
    return { items: (await response.json()).result, total: Number(response.headers.get('x-total-count')) };
  }

  /** Sends as A does, or as a test that breaks one part of it does, and checks that B queued nothing. */
  async function refused(post: Parameters<typeof signedPost>[2], status: number, slug: string, path = INBOUND) {
    const before = (await queued()).total;
    const problem = await expectProblem(await signedPost(b, path, post), status, slug);
    expect((await queued()).total).toBe(before);
    return problem;
  }

  it('queues a signed envelope once, and acknowledges a repeat of it as a duplicate', async () => {
    const envelope = envelopeFrom(a, b);
    const body = JSON.stringify(envelope);
    const first = await signedPost(b, INBOUND, { body });
    expect(first.status, await first.clone().text()).toBe(202);
    expect(await first.json()).toEqual({ result: { id: envelope.id, status: 'queued' } });
    const again = await signedPost(b, INBOUND, { body });
    expect(await again.json()).toEqual({ result: { id: envelope.id, status: 'duplicate' } });

    const { items, total } = await queued(`?remote_system=${b.remoteSystemId}`);
    expect(total).toBe(1);
    expect(items[0]).toMatchObject({
      sys_id: envelope.id,
      status: 'ready',
      remote_system: b.remoteSystemId,
      process_event: b.processEventId,
      operation: 'insert',
      sequence: 1,
      correlation_key: `${b.remoteSystemId}:INC0010001`,
      local_correlation_id: null,
      remote_correlation_id: 'INC0010001',
      // The inbound API user's domain, not the caller's record or the payload's.
      sys_domain: 'global/acme',
      started_at: null,
      finished_at: null,
      error_info: null,
      transform_context: null,
    });
    expect(items[0]?.created_at).toBeTypeOf('number');
    expect(JSON.parse(items[0]?.payload_json as string)).toEqual(envelope);
  });

  it("takes what A's peer client sends", async () => {
    const asStoredOnA = { _id: a.remoteSystemId, name: 'provider instance', connection: { base_url: b.runtime.url, user_name: 'sync.api', password: b.apiUser.password, signing_secrets: [SHARED_SECRET] } };
    const envelope = envelopeFrom(a, b, { sequence: 2, operation: 'update', correlation: { sender_id: 'INC0010001', receiver_id: 'CS0001' } });
    const result = await peers.send(asStoredOnA as StoredRemoteSystem, envelope);
    expect(result).toEqual({ outcome: 'accepted', status: 202, result: { id: envelope.id, status: 'queued' } });
    expect((await queued()).items.find((item) => item.sys_id === envelope.id)).toMatchObject({ sequence: 2, operation: 'update', local_correlation_id: 'CS0001' });
  });

  it('refuses a body that is not the one signed, or one signed with another secret', async () => {
    const body = JSON.stringify(envelopeFrom(a, b));
    const timestamp = Math.floor(Date.now() / 1000);
    const tampered = await refused({ body: body.replace('Email is down', 'Email is up'), timestamp, signature: signRequest(SHARED_SECRET, timestamp, body) }, 401, 'bad-signature');
    expect(tampered.detail).toBe(
      "the request's signature is not valid for remote system consumer instance: the signature matches none of the signing secrets of the receiving remote system record; both records must share a secret",
    );
    await refused({ body, secret: 'a-secret-nobody-configured-on-either-side-0001' }, 401, 'bad-signature');
    const unsigned = await refused({ body, signature: null }, 401, 'bad-signature');
    expect(unsigned.detail).toContain('needs both the X-Lockstep-Timestamp and the X-Lockstep-Signature header');
  });

  it('refuses a stale or future timestamp, even correctly signed', async () => {
    const now = Math.floor(Date.now() / 1000);
    const stale = await refused({ body: JSON.stringify(envelopeFrom(a, b)), timestamp: now - 600 }, 401, 'bad-signature');
    expect(stale.detail).toMatch(/the timestamp is 60\d s old, more than the 300 s allowed/);
    const future = await refused({ body: JSON.stringify(envelopeFrom(a, b)), timestamp: now + 600 }, 401, 'bad-signature');
    expect(future.detail).toMatch(/in the future/);
  });

  it('refuses a malformed envelope with every finding', async () => {
    const envelope: Record<string, unknown> = { ...envelopeFrom(a, b), id: 'not-a-uuid', sequence: 0 };
    delete envelope.process_event;
    const problem = await refused({ body: JSON.stringify(envelope) }, 400, 'invalid-body');
    expect(problem.errors?.map((finding) => finding.path).sort()).toEqual(['body.id', 'body.process_event', 'body.sequence']);
    await refused({ body: '{"id": ' }, 400, 'malformed-json');
  });

  it('takes envelopes only from the inbound API user of the remote system they name', async () => {
    const body = JSON.stringify(envelopeFrom(a, b));
    await b.runtime.call('POST', '/api/lockstep/v1/users', { body: { user_name: 'other.api', password: 'other-api-password', roles: ['ih_process_sync_api'] } });
    const other = await refused({ body, auth: basic('other.api', 'other-api-password') }, 403, 'not-inbound-api-user');
    expect(other.detail).toContain('user other.api is not the inbound API user of remote system consumer instance');
    // Admin passes every role check, but is still not the inbound API user.
    await refused({ body, auth: basic('admin', 'admin-password-for-tests') }, 403, 'not-inbound-api-user');
    await b.runtime.call('POST', '/api/lockstep/v1/users', { body: { user_name: 'agent', password: 'agent-password', roles: ['itil'] } });
    await refused({ body, auth: basic('agent', 'agent-password') }, 403, 'missing-role');
    await refused({ body, auth: basic('sync.api', 'wrong-password') }, 401, 'unauthenticated');
  });

  it('refuses envelopes its records do not pair, and process events it does not have', async () => {
    const unknownTarget = envelopeFrom(a, b);
    unknownTarget.source.target_remote_system = 'c'.repeat(32);
    await refused({ body: JSON.stringify(unknownTarget) }, 404, 'unknown-remote-system');
    const otherSender = envelopeFrom(a, b);
    otherSender.source.remote_system = 'c'.repeat(32);
    await refused({ body: JSON.stringify(otherSender) }, 403, 'remote-system-mismatch');
    const unknownEvent = await refused({ body: JSON.stringify(envelopeFrom(a, b, { process_event: 'Change to change' })) }, 422, 'unknown-process-event');
    expect(unknownEvent.detail).toContain('no process event "Change to change"');
  });

  it('takes nothing while its remote system is not active, and says to activate it', async () => {
    await patch(b.runtime, `/api/lockstep/v1/sync/remote-systems/${b.remoteSystemId}`, { inbound_state: 'disabled' });
    const problem = await refused({ body: JSON.stringify(envelopeFrom(a, b)) }, 409, 'remote-system-not-active');
    expect(problem.detail).toContain(`run Validate and Activate on it (POST /api/lockstep/v1/sync/remote-systems/${b.remoteSystemId}/activate)`);
    expect((await activate(b)).status).toBe(200);
  });

  it('answers a handshake with what it finds, for the inbound API user only', async () => {
    const handshake = { remote_system: b.remoteSystemId, source_remote_system: a.remoteSystemId, instance: 'consumer', process_events: ['Incident to case', 'Other'] };
    const response = await signedPost(b, '/api/sync/v1/handshake', { body: JSON.stringify(handshake) });
    expect(response.status, await response.clone().text()).toBe(200);
    expect(await response.json()).toEqual({ result: { ok: true, findings: [], process_events: ['Incident to case'], instance: 'provider' } });

    const unknown = await signedPost(b, '/api/sync/v1/handshake', { body: JSON.stringify({ ...handshake, remote_system: 'c'.repeat(32) }) });
    expect((await unknown.json()).result).toMatchObject({ ok: false, findings: [expect.stringContaining(`provider has no remote system ${'c'.repeat(32)}`)] });
    await refused({ body: JSON.stringify(handshake), signature: null }, 401, 'bad-signature', '/api/sync/v1/handshake');
    await refused({ body: JSON.stringify({ ...handshake, process_events: 'all' }) }, 400, 'invalid-body', '/api/sync/v1/handshake');
  });

  it('lists the queue for configurers, filtered and paged', async () => {
    const { total } = await queued();
    expect(total).toBe(2);
    const page = await queued('?status=ready&limit=1&offset=1');
    expect(page.total).toBe(2);
    expect(page.items).toHaveLength(1);
    expect((await queued('?status=error')).total).toBe(0);
    expect((await queued(`?remote_system=${'c'.repeat(32)}`)).total).toBe(0);
    await expectProblem(await b.runtime.call('GET', `${QUEUE}?status=done`), 400, 'invalid-parameter');
    await expectProblem(await b.runtime.call('GET', QUEUE, { auth: basic('sync.api', b.apiUser.password) }), 403, 'missing-role');
  });

  const queuedIds = async (): Promise<string[]> => (await queued('?limit=1000')).items.map((item) => item.sys_id as string);

  it('answers each envelope of a batch as it would answer it alone, in order: one refused takes none of the others with it', async () => {
    const first = envelopeFrom(a, b, { correlation: { sender_id: 'INC0020001', receiver_id: null } });
    const second = envelopeFrom(a, b, { correlation: { sender_id: 'INC0020002', receiver_id: null } });
    expect((await signedPost(b, INBOUND_BATCH, { body: JSON.stringify({ envelopes: [first] }) })).status).toBe(200);
    const unknownEvent = envelopeFrom(a, b, { process_event: 'Nobody here has this one' });
    const malformed = { ...envelopeFrom(a, b), sequence: 0 };
    const response = await signedPost(b, INBOUND_BATCH, { body: JSON.stringify({ envelopes: [first, unknownEvent, second, malformed] }) });
    expect(response.status, await response.clone().text()).toBe(200);
    const { result } = await response.json();
    expect(result.map((answer: { id: string; status: string }) => [answer.id, answer.status])).toEqual([
      [first.id, 'duplicate'],
      [unknownEvent.id, 'refused'],
      [second.id, 'queued'],
      [malformed.id, 'refused'],
    ]);
    expect(result[1].problem).toMatchObject({ status: 422, type: 'urn:lockstep:problem:unknown-process-event', instance: `${INBOUND_BATCH}#1` });
    expect(result[3].problem).toMatchObject({ status: 400, errors: [{ path: 'envelopes.3.sequence', message: expect.any(String) }] });
    const ids = await queuedIds();
    expect(ids).toEqual(expect.arrayContaining([first.id, second.id]));
    expect(ids).not.toContain(unknownEvent.id);
    expect(ids).not.toContain(malformed.id);
  });

  it('refuses every envelope of a batch whose signature is not valid, and a batch that is none, queueing nothing', async () => {
    const before = await queuedIds();
    const envelopes = [envelopeFrom(a, b), envelopeFrom(a, b)];
    const results = (await (await signedPost(b, INBOUND_BATCH, { body: JSON.stringify({ envelopes }), secret: 'a-secret-nobody-configured-on-either-side-0001' })).json()).result;
    expect(results.map((answer: { status: string; problem: { status: number } }) => [answer.status, answer.problem.status])).toEqual([
      ['refused', 401],
      ['refused', 401],
    ]);
    await expectProblem(await signedPost(b, INBOUND_BATCH, { body: JSON.stringify({ envelopes: [] }) }), 400, 'invalid-body');
    await expectProblem(await signedPost(b, INBOUND_BATCH, { body: JSON.stringify(envelopes[0]) }), 400, 'invalid-body');
    expect(await queuedIds()).toEqual(before);
  });

  it("gives A's peer client one answer per envelope of a batch, sorted as a single send's would be", async () => {
    const asStoredOnA = { _id: a.remoteSystemId, name: 'provider instance', connection: { base_url: b.runtime.url, user_name: 'sync.api', password: b.apiUser.password, signing_secrets: [SHARED_SECRET] } };
    const good = envelopeFrom(a, b, { correlation: { sender_id: 'INC0020003', receiver_id: null } });
    const unknownEvent = envelopeFrom(a, b, { process_event: 'Nobody here has this one' });
    const answers = await peers.sendBatch(asStoredOnA as StoredRemoteSystem, [good, unknownEvent]);
    expect(answers[0]).toEqual({ outcome: 'accepted', status: 202, result: { id: good.id, status: 'queued' } });
    expect(answers[1]).toMatchObject({ outcome: 'rejected', status: 422, fault: 'data', message: expect.stringContaining('has no process event "Nobody here has this one"') });

    const wrongPassword = { ...asStoredOnA, connection: { ...asStoredOnA.connection, password: 'not-the-password' } };
    const refused = await peers.sendBatch(wrongPassword as StoredRemoteSystem, [envelopeFrom(a, b), envelopeFrom(a, b)]);
    expect(refused.map((answer) => [answer.outcome, answer.status])).toEqual([
      ['rejected', 401],
      ['rejected', 401],
    ]);
  });
});
