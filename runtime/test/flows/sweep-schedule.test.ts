import { afterAll, describe, expect, it } from 'vitest';
import { SweepSchedule } from '../../src/flows/sweep-schedule.js';
import { storeAdapters } from '../store/adapters.js';

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 11, 3);

for (const adapter of storeAdapters()) {
  describe.skipIf(adapter.skipReason !== undefined)(`sweep schedule on the ${adapter.name} store`, () => {
    afterAll(() => adapter.dispose());

    it('gives a sweep to one process an hour, whichever asks, and says when the next is due', async () => {
      const store = await adapter.open();
      try {
        // Two processes on one database, or one process and its restart.
        const [one, other] = [new SweepSchedule(store, 'queue_items', HOUR), new SweepSchedule(store, 'queue_items', HOUR)];
        expect(await one.take(NOW)).toBe(true);
        expect(await other.take(NOW + 1_000)).toEqual({ dueAt: NOW + HOUR });
        expect(await one.take(NOW + HOUR - 1)).toEqual({ dueAt: NOW + HOUR });
        // Both find it due at once: one takes it.
        const taken = await Promise.all([one.take(NOW + HOUR), other.take(NOW + HOUR)]);
        expect(taken.filter((outcome) => outcome === true)).toHaveLength(1);
        // Another kind has a schedule of its own.
        expect(await new SweepSchedule(store, 'flow_contexts', HOUR).take(NOW + HOUR)).toBe(true);
      } finally {
        await store.close();
      }
    });
  });
}
