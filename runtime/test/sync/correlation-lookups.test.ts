import { afterAll, describe, expect, it } from 'vitest';
import { CorrelationStore } from '../../src/sync/correlation/correlation-store.js';
import { until } from '../support/until.js';
import { embeddedAdapter, mongodbAdapter } from '../store/adapters.js';
import { openHeard, type HeardStore } from '../store/heard-store.js';

const SYSTEM = 'provider';

/*
 * A change's runs look its record's correlation up several times; while the
 * process writes its database alone the answers are held, and the
 * correlation store's own writes keep them right, even when they overlap,
 * rather than letting every answer go.
 */
for (const adapter of [embeddedAdapter(), mongodbAdapter()]) {
  describe.skipIf(adapter.skipReason !== undefined)(`correlation look-ups on the ${adapter.name} store${adapter.skipReason ? ` — ${adapter.skipReason}` : ''}`, () => {
    const opened: HeardStore[] = [];
    afterAll(async () => {
      await Promise.all(opened.map(({ store }) => store.close()));
      await adapter.dispose();
    });

    /** A process's correlation store, alone on the database (the one before it has closed), and its reads so far. */
    const openAlone = async () => {
      // Two embedded stores on one directory would compact its files at once.
      await Promise.all(opened.splice(0).map(({ store }) => store.close()));
      const heard = await openHeard(adapter, opened);
      await until(async () => heard.store.aloneSince() !== undefined, 'the process holds its database alone');
      const correlations = new CorrelationStore(heard.store);
      await correlations.prepare();
      const reads = () => heard.operations.filter(({ collection, kind }) => collection === 'sync_correlation' && kind === 'find').length;
      return { heard, correlations, reads };
    };

    it('answers from what its writes left, overlapping or not, and reads each correlation once', async () => {
      const { correlations, reads } = await openAlone();
      const records = ['r1', 'r2', 'r3', 'r4'];
      // First sight: none yet, each read once.
      expect(await Promise.all(records.map((record) => correlations.byLocalRecord('incident', record, SYSTEM)))).toEqual([null, null, null, null]);
      expect(reads()).toBe(4);

      // Created at once: each insert lets go only of its own record's look-up, and tells what finds it now.
      const created = await Promise.all(
        records.map((record, index) => correlations.create({ localTable: 'incident', localRecord: record, remoteSystem: SYSTEM, remoteCorrelationId: index % 2 === 0 ? `remote-${record}` : null, domain: 'global' })),
      );
      const afterCreates = reads();
      for (const [index, record] of records.entries()) expect(await correlations.byLocalRecord('incident', record, SYSTEM)).toEqual(created[index]);
      expect(await correlations.byRemoteId(SYSTEM, 'remote-r1')).toEqual(created[0]);
      expect(await correlations.byLocalId(created[1]!.local_correlation_id, SYSTEM)).toEqual(created[1]);

      // A remote id learnt and a state changed: the look-ups find the correlation as it is now, by the old keys and the new.
      const learnt = await correlations.learnRemoteId(created[1]!._id, 'remote-r2');
      const inactive = await correlations.setState(created[2]!._id, 'inactive');
      expect(learnt?.remote_correlation_id).toBe('remote-r2');
      expect(await correlations.byRemoteId(SYSTEM, 'remote-r2')).toEqual(learnt);
      expect(await correlations.byLocalRecord('incident', 'r2', SYSTEM)).toEqual(learnt);
      expect(await correlations.byLocalId(created[2]!.local_correlation_id)).toEqual(inactive);
      expect(await correlations.byLocalRecord('incident', 'r4', SYSTEM)).toEqual(created[3]);
      // The look-ups a record's next changes make, after the creates, were all answered from memory.
      expect(reads()).toBe(afterCreates);
    });

    it('finds none for a record created here without reading, until a correlation of it is written', async () => {
      const { heard, correlations, reads } = await openAlone();
      correlations.created('incident', 'fresh');
      expect(await correlations.byLocalRecord('incident', 'fresh', SYSTEM)).toBeNull();
      expect(await correlations.byLocalRecord('incident', 'fresh', 'another system')).toBeNull();
      expect(reads()).toBe(0);
      const made = await correlations.create({ localTable: 'incident', localRecord: 'fresh', remoteSystem: SYSTEM, remoteCorrelationId: null, domain: 'global' });
      expect(await correlations.byLocalRecord('incident', 'fresh', SYSTEM)).toEqual(made);
      // The other system's look-up reads again: the record has a correlation now.
      expect(await correlations.byLocalRecord('incident', 'fresh', 'another system')).toBeNull();
      expect(reads()).toBeGreaterThan(0);

      // A write to the correlations that tells nothing of what it changed lets the knowledge go, as it would an answer read.
      correlations.created('incident', 'fresh-too');
      await heard.store.collection('sync_correlation').insertOne({ local_table: 'incident', local_record: 'fresh-too', remote_system: SYSTEM, local_correlation_id: 'elsewhere', remote_correlation_id: null });
      expect((await correlations.byLocalRecord('incident', 'fresh-too', SYSTEM))?.local_correlation_id).toBe('elsewhere');
    });
  });
}
