import type { SyncEnvelope } from '@lockstep/schema';
import { beforeAll, expect, it } from 'vitest';
import { describeOnEachStore } from '../support/runtime.js';
import { caseOf, change, ok, processedItem, queueItem, send, useCaseInboundPair, workNote, workNotesOf } from './inbound-processor-setup.js';
import { signedPost, type PeerSide } from './peer-pair.js';

/**
 * A sender that reuses a sequence under a new envelope id (a replay with the
 * id changed, or a sender that lost track) must not get its change applied
 * twice: the receiver answers it as a duplicate and queues nothing, whether
 * the sequence is applied already or still waits in the queue.
 */
describeOnEachStore('a reused sequence with a new envelope id', (variant) => {
  const pair = useCaseInboundPair(variant.settings);
  let a: PeerSide;
  let b: PeerSide;
  beforeAll(() => ({ a, b } = pair()));

  const processed = (id: string) => processedItem(b, id);
  /** A posts `envelope` to B as its sender would, and reads what B answered about it. */
  async function answerTo(envelope: SyncEnvelope): Promise<string> {
    return (await ok(await signedPost(b, '/api/sync/v1/inbound', { body: JSON.stringify(envelope) }), 202)).result.status;
  }
  const isQueued = async (id: string) => (await b.runtime.call('GET', `/api/lockstep/v1/sync/inbound-queue/${id}`)).status === 200;
  const workNotes = (senderId: string) => workNotesOf(b, senderId);

  it('is a duplicate once its sequence is applied, and changes nothing', async () => {
    const insert = change(a, b, 'INC0000101', 1, { short_description: 'First' });
    await send(b, insert);
    expect((await processed(insert.id)).status).toBe('processed');
    const update = change(a, b, 'INC0000101', 2, { short_description: 'Second' }, workNote('Once'));
    await send(b, update);
    expect((await processed(update.id)).status).toBe('processed');

    const reinsert = change(a, b, 'INC0000101', 1, { short_description: 'Replayed first' });
    const reupdate = change(a, b, 'INC0000101', 2, { short_description: 'Replayed second' }, workNote('Twice'));
    expect(reinsert.id).not.toBe(insert.id);
    expect(await answerTo(reinsert)).toBe('duplicate');
    expect(await answerTo(reupdate)).toBe('duplicate');
    expect(await isQueued(reinsert.id)).toBe(false);
    expect(await isQueued(reupdate.id)).toBe(false);
    expect((await caseOf(b, 'INC0000101')).short_description).toBe('Second');
    expect(await workNotes('INC0000101')).toEqual(['Once']);
  });

  it('is a duplicate while its sequence still waits in the queue, which then applies the first envelope once', async () => {
    const waiting = change(a, b, 'INC0000102', 2, { short_description: 'Queued first' }, workNote('Waiting'));
    await send(b, waiting);
    expect((await queueItem(b, waiting.id)).status).toBe('ready');
    const rival = change(a, b, 'INC0000102', 2, { short_description: 'Queued second' }, workNote('Rival'));
    expect(await answerTo(rival)).toBe('duplicate');
    expect(await isQueued(rival.id)).toBe(false);

    const insert = change(a, b, 'INC0000102', 1, { short_description: 'Created' });
    await send(b, insert);
    expect((await processed(waiting.id)).status).toBe('processed');
    expect((await caseOf(b, 'INC0000102')).short_description).toBe('Queued first');
    expect(await workNotes('INC0000102')).toEqual(['Waiting']);
  });

  it('is a duplicate in a batch too, next to envelopes that are queued', async () => {
    const next = change(a, b, 'INC0000101', 3, { short_description: 'Third' });
    const reused = change(a, b, 'INC0000101', 2, { short_description: 'Second again' }, workNote('Again'));
    const body = JSON.stringify({ envelopes: [next, reused] });
    const answers = (await ok(await signedPost(b, '/api/sync/v1/inbound/batch', { body }))).result;
    expect(answers).toEqual([
      { id: next.id, status: 'queued' },
      { id: reused.id, status: 'duplicate' },
    ]);
    expect((await processed(next.id)).status).toBe('processed');
    expect(await workNotes('INC0000101')).toEqual(['Once']);
  });
});
