import { describe, expect, it } from 'vitest';
import { SequenceCounters } from '../../src/sync/capture/sequences.js';
import { RecordNumbers } from '../../src/table/numbering.js';
import { processesOnOneDatabase } from '../store/processes-on-one-database.js';
import { embeddedAdapter, mongodbAdapter } from '../store/adapters.js';

const PROCESSES = 3;

// Each "process" is a store of its own on one database, with its own connections and in-process write queues,
// as separate runtime processes have: on FerretDB v1, whose updates are a read then a write of the whole document,
// numbers taken by compare-and-set or $inc were given twice here. The embedded store is one process's alone.
for (const adapter of [embeddedAdapter(), mongodbAdapter()]) {
  describe.skipIf(adapter.skipReason !== undefined)(`numbers taken at once by several processes on the ${adapter.name} store${adapter.skipReason ? ` — ${adapter.skipReason}` : ''}`, () => {
    const processes = processesOnOneDatabase(adapter, PROCESSES);

    it('gives each of many concurrent creates its own record number, with no gap', async () => {
      const stores = await processes();
      const numbering = stores.map((store) => new RecordNumbers(store));
      await numbering[0]!.prepare();
      const perProcess = 15;
      const numbers = await Promise.all(numbering.flatMap((numbers) => Array.from({ length: perProcess }, () => numbers.next('INC'))));
      const expected = Array.from({ length: numbers.length }, (_, index) => `INC${String(10_001 + index).padStart(7, '0')}`);
      expect([...numbers].sort()).toEqual(expected);
    });

    it('goes on from a prefix’s counter kept before numbers were inserted one by one', async () => {
      const [store] = await processes();
      await store!.collection('sys_number').insertOne({ _id: 'CS', next: 41 });
      expect(await new RecordNumbers(store!).next('CS')).toBe('CS0010042');
    });

    it('numbers one record’s changes 1, 2, 3… once each and in order while every process relays them at once', async () => {
      const stores = await processes();
      await new SequenceCounters(stores[0]!).prepare();
      const key = 'incident:contended:peer';
      const changes = Array.from({ length: 20 }, (_, index) => ({ id: `i${index + 1}`, modCount: index, creates: index === 0 }));
      // The outbound queue as the relays share it: an intent's item, by its number, inserted once.
      const queued = new Map<string, number>();
      // Each process relays the record's intents in order, and queues each before numbering the next, as the relay does.
      const relay = async (counters: SequenceCounters): Promise<void> => {
        for (const intent of changes) {
          const number = await counters.assign(key, intent, async () => queued.has(intent.id));
          if (number === null) continue;
          const before = queued.get(intent.id);
          if (before !== undefined) expect(number, `${intent.id} numbered twice`).toBe(before);
          queued.set(intent.id, number);
        }
      };
      await Promise.all(stores.flatMap((store) => [relay(new SequenceCounters(store)), relay(new SequenceCounters(store))]));
      expect(changes.map((intent) => queued.get(intent.id))).toEqual(changes.map((_, index) => index + 1));
      expect(await new SequenceCounters(stores[0]!).latest(key)).toMatchObject({ number: changes.length, intent: changes.at(-1)!.id });
    });

    it('goes on from a key’s counter kept before numbers were inserted one by one', async () => {
      const [store] = await processes();
      const key = 'incident:legacy:peer';
      await store!.collection('sync_sequence').insertOne({ _id: key, last: 7, intent: 'old', mod_count: 6 });
      expect(await new SequenceCounters(store!).assign(key, { id: 'new', modCount: 7, creates: false }, async () => false)).toBe(8);
    });
  });
}
