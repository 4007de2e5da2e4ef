import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DocumentStore } from '@lockstep/store';
import { RecordNumbers } from '../../src/table/numbering.js';
import { storeAdapters } from '../store/adapters.js';

/*
 * One process creating many records of one prefix at once (the Table API
 * under load, or B applying a batch of creates): each create takes its
 * number with one insert. When they all tried the same number, all but one
 * met a duplicate key and read the prefix's numbers again, round after round:
 * on FerretDB a create took ten inserts and as many reads, and some ran past
 * a flow step's 10 s timeout.
 */
describe.each(storeAdapters().map((adapter) => [adapter.name, adapter] as const))('record numbers taken at once by one process on the %s store', (_name, adapter) => {
  describe.skipIf(adapter.skipReason !== undefined)(adapter.skipReason ?? 'one insert each', () => {
    let store: DocumentStore | undefined;
    afterEach(async () => {
      vi.unstubAllEnvs();
      await store?.close();
      await adapter.dispose();
    });

    it('gives each of 40 concurrent creates its own number, with no gap, each inserted once (no insert met a number taken)', async () => {
      vi.stubEnv('LOCKSTEP_COUNT_STORE_OPS', '1');
      store = await adapter.open();
      const numbers = new RecordNumbers(store);
      await numbers.prepare();
      // Documents inserted, not commands: the mongodb adapter sends the inserts asked for at once together.
      let inserted = 0;
      store.onOperation(({ collection, kind, documents }) => {
        if (collection === 'sys_number_issued' && kind === 'insert') inserted += documents ?? 0;
      });
      const taken = await Promise.all(Array.from({ length: 40 }, () => numbers.next('INC')));
      expect([...taken].sort()).toEqual(Array.from({ length: 40 }, (_, index) => `INC${String(10_001 + index).padStart(7, '0')}`));
      expect(inserted).toBe(40);
    });
  });
});
