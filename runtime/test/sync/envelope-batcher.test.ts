import type { SyncEnvelope } from '@lockstep/schema';
import { describe, expect, it } from 'vitest';
import type { StoredRemoteSystem } from '../../src/sync/config/sync-config-store.js';
import { EnvelopeBatcher } from '../../src/sync/peer/envelope-batcher.js';
import type { InboundAnswer } from '@lockstep/schema';
import type { PeerCallResult } from '../../src/sync/peer/peer-client.js';

const remote = (password = 'secret') => ({ _id: 'r1', name: 'provider', external_id: 'x1', connection: { base_url: 'http://peer.example', user_name: 'sync.api', password, signing_secrets: ['s'] } }) as unknown as StoredRemoteSystem;
const envelope = (id: string) => ({ id }) as SyncEnvelope;
const accepted = (id: string): PeerCallResult<InboundAnswer> => ({ outcome: 'accepted', status: 202, result: { id, status: 'queued' } });

/** A peer client whose requests stay open until `answerAll`; it records what each carried. */
class HeldPeer {
  readonly requests: { password: string; ids: string[] }[] = [];
  private readonly open: (() => void)[] = [];
  failWith: PeerCallResult<InboundAnswer> | undefined;

  private hold<T>(answer: () => T): Promise<T> {
    return new Promise((resolve) => this.open.push(() => resolve(answer())));
  }

  send(to: StoredRemoteSystem, one: SyncEnvelope): Promise<PeerCallResult<InboundAnswer>> {
    this.requests.push({ password: to.connection.password, ids: [one.id] });
    return this.hold(() => this.failWith ?? accepted(one.id));
  }

  sendBatch(to: StoredRemoteSystem, many: SyncEnvelope[]): Promise<PeerCallResult<InboundAnswer>[]> {
    this.requests.push({ password: to.connection.password, ids: many.map((one) => one.id) });
    return this.hold(() => many.map((one) => this.failWith ?? accepted(one.id)));
  }

  async answerAll(): Promise<void> {
    while (this.open.length > 0) {
      for (const answer of this.open.splice(0)) answer();
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

describe('envelopes sent through the batcher', () => {
  it('go alone while few requests are under way, then gather, and each gets its own answer', async () => {
    const peer = new HeldPeer();
    const batcher = new EnvelopeBatcher(peer);
    const ids = Array.from({ length: 10 }, (_, index) => `e${index}`);
    const answers = Promise.all(ids.map((id) => batcher.send(remote(), envelope(id))));
    expect(peer.requests.map((request) => request.ids)).toEqual([['e0'], ['e1'], ['e2'], ['e3']]);
    await peer.answerAll();
    expect(peer.requests.slice(4).map((request) => request.ids)).toEqual([['e4', 'e5', 'e6', 'e7', 'e8', 'e9']]);
    expect(await answers).toEqual(ids.map(accepted));
  });

  it('never mix two connections in one request, and pass a failed request on to each of its envelopes', async () => {
    const peer = new HeldPeer();
    const batcher = new EnvelopeBatcher(peer);
    const sent = ['a', 'b', 'c', 'd'].map((id) => batcher.send(remote(), envelope(id)));
    const rotated = [batcher.send(remote('new'), envelope('n1')), batcher.send(remote('new'), envelope('n2'))];
    const gathered = [batcher.send(remote(), envelope('e')), batcher.send(remote(), envelope('f'))];
    peer.failWith = { outcome: 'unavailable', status: 503, retryable: true, message: 'the peer is down' };
    await peer.answerAll();
    expect(peer.requests.map((request) => [request.password, request.ids])).toEqual([
      ['secret', ['a']],
      ['secret', ['b']],
      ['secret', ['c']],
      ['secret', ['d']],
      ['new', ['n1']],
      ['new', ['n2']],
      ['secret', ['e', 'f']],
    ]);
    for (const answer of await Promise.all([...sent, ...rotated, ...gathered])) expect(answer).toEqual(peer.failWith);
  });
});
