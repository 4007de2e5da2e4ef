import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentStore } from '@lockstep/store';
import { SequenceCounters } from '../../src/sync/capture/sequences.js';
import { storeAdapters } from '../store/adapters.js';

const never = async () => {
  throw new Error('asked whether the intent was queued, which its counter already answers');
};

describe.each(storeAdapters().map((adapter) => [adapter.name, adapter] as const))('sequence counters on the %s store', (_name, adapter) => {
  describe.skipIf(adapter.skipReason !== undefined)(adapter.skipReason ?? 'numbering', () => {
    let store: DocumentStore;
    beforeAll(async () => {
      store = await adapter.open();
    });
    afterAll(async () => {
      await store.close();
      await adapter.dispose();
    });

    it('numbers a record’s changes 1, 2, 3 with no gap when two relays take turns, each remembering the counter as it last saw it', async () => {
      const [first, second] = [new SequenceCounters(store), new SequenceCounters(store)];
      const key = 'incident:turns:peer';
      expect(await first.assign(key, { id: 'i1', modCount: 0, creates: true }, never)).toBe(1);
      expect(await second.assign(key, { id: 'i2', modCount: 1, creates: false }, never)).toBe(2);
      // `first` remembers the counter at i1: its compare-and-set fails, and it reads the counter again.
      expect(await first.assign(key, { id: 'i3', modCount: 2, creates: false }, never)).toBe(3);
      expect(await first.latest(key)).toMatchObject({ number: 3, intent: 'i3', mod_count: 2 });
    });

    it('gives an intent numbered before its number again, and asks whether an intent is queued only when the counter is at a change as late', async () => {
      const relay = new SequenceCounters(store);
      const key = 'incident:again:peer';
      expect(await relay.assign(key, { id: 'i1', modCount: 0, creates: true }, never)).toBe(1);
      // Moved again by a relay that never saw the counter: the insert of number 1 it guesses for a new record meets a
      // duplicate key, and it reads its own number: not queued yet (its relay stopped first), so that number again…
      expect(await new SequenceCounters(store).assign(key, { id: 'i1', modCount: 0, creates: true }, async () => false)).toBe(1);
      // …and none once queued (its relay stopped before clearing it from the outbox), as the queue has it already.
      expect(await new SequenceCounters(store).assign(key, { id: 'i1', modCount: 0, creates: true }, async () => true)).toBeNull();
      expect(await relay.assign(key, { id: 'i2', modCount: 1, creates: false }, never)).toBe(2);
      // The counter is at a later change: i1 was numbered before it, so it is queued if it says so.
      expect(await relay.assign(key, { id: 'i1', modCount: 0, creates: true }, async () => true)).toBeNull();
      // Another intent of the same change (a second capture definition) may or may not be queued: it asks.
      expect(await relay.assign(key, { id: 'i2b', modCount: 1, creates: false }, async () => false)).toBe(3);
    });
    it('takes the numbers asked for at once, of several keys, in one write; and of one key, one each, as one at a time would', async () => {
      const relay = new SequenceCounters(store);
      const numbers = store.collection('sync_sequence_number');
      const writes = () => store.writeCount('sync_sequence_number');
      const before = writes();
      const keys = ['incident:r1:peer', 'incident:r2:peer', 'incident:r3:peer'];
      expect(await Promise.all(keys.map((key, index) => relay.assign(key, { id: `r${index}`, modCount: 0, creates: true }, never)))).toEqual([1, 1, 1]);
      expect(writes() - before).toBe(1);
      // Two intents of one key at once (two relays' rounds): the second meets the first's number, reads it, and takes the next.
      const key = 'incident:both:peer';
      const both = await Promise.all(['b1', 'b2'].map((id) => new SequenceCounters(store).assign(key, { id, modCount: 0, creates: true }, async () => false)));
      expect(both.sort()).toEqual([1, 2]);
      expect((await numbers.find({ key }, { sort: { number: 1 } })).map((number) => number.intent).sort()).toEqual(['b1', 'b2']);
    });

    it('forgets the numbers of removed items but each key’s first and last, and the next change is numbered after its last', async () => {
      const relay = new SequenceCounters(store);
      const key = 'incident:forget:peer';
      for (let n = 1; n <= 5; n++) expect(await relay.assign(key, { id: `f${n}`, modCount: n - 1, creates: n === 1 }, never)).toBe(n);
      const items = [1, 2, 3, 4, 5].map((sequence) => ({ correlation_key: key, sequence }));
      expect(await relay.forget(items)).toBe(3);
      const kept = await store.collection('sync_sequence_number').find({ key }, { sort: { number: 1 } });
      expect(kept.map((number) => number.number)).toEqual([1, 5]);
      expect(await new SequenceCounters(store).assign(key, { id: 'f6', modCount: 5, creates: false }, never)).toBe(6);
    });

    it('reads a key’s last number again once it remembered it too long, so a number another process took and retention removed is not taken twice', async () => {
      let now = 1_000_000;
      const stale = new SequenceCounters(store, () => now);
      const other = new SequenceCounters(store);
      const key = 'incident:stale:peer';
      expect(await stale.assign(key, { id: 's1', modCount: 0, creates: true }, never)).toBe(1);
      expect(await stale.assign(key, { id: 's2', modCount: 1, creates: false }, never)).toBe(2);
      for (let n = 3; n <= 5; n++) expect(await other.assign(key, { id: `s${n}`, modCount: n - 1, creates: false }, never)).toBe(n);
      // Days later the items of 3 and 4 are past their retention, and their numbers go; `stale` still remembers 2 as the last.
      now += 7 * 86_400_000;
      await other.forget([3, 4].map((sequence) => ({ correlation_key: key, sequence })));
      expect(await stale.assign(key, { id: 's6', modCount: 5, creates: false }, never)).toBe(6);
    });
  });
});
