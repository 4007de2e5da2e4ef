import { describe, expect, it } from 'vitest';
import { pairStores, usePair } from './support/pair-suite.js';
import { eventually } from '../runtime/test/support/until.js';
import { until } from './support/sync-pair.js';

interface Correlation {
  local_correlation_id: string;
  remote_correlation_id: string | null;
  local_table: string;
  local_record: string;
  remote_system: string;
  state: string;
}

/** A queue item as the queue lists give it: outbound ones name their record, inbound ones carry the sender's envelope. */
interface QueueItem {
  status: string;
  record?: { sys_id: string };
  payload_json?: string;
}

for (const { name, store, skipped } of pairStores()) {
  describe.skipIf(store === null)(`an incident and its case kept in step by two runtime processes (${name} store)${skipped}`, () => {
    const pairOf = usePair('round-trip', store!);

    it('creates the case with mapped fields and correlations on both sides, and brings a state change and a comment back without an echo, keeping the work note home', async () => {
      const { a, b } = pairOf();
      const { body: created } = await a.api.call('POST', '/api/now/table/incident', { short_description: 'Email is down', priority: '2', state: '2' });
      const incident = created.result as { sys_id: string; number: string };

      const kase = await until(async () => {
        const { body } = await b.api.call('GET', `/api/now/table/case?sysparm_query=short_description=${encodeURIComponent('Email is down')}`);
        return body.result[0] as { sys_id: string; short_description: string; priority: string; state: string } | undefined;
      }, 'the provider has the case');
      // The demo's inbound flow maps incident states to case states: In Progress (2) is Open (10).
      expect(kase).toMatchObject({ short_description: 'Email is down', priority: '2', state: '10' });

      const correlationOf = async (side: typeof a, table: string, record: string) => {
        const { body } = await side.api.call('GET', `/api/lockstep/v1/sync/correlations?local_table=${table}&local_record=${record}`);
        return body.result as Correlation[];
      };
      // B's correlation comes with the case; A learns B's id from the first envelope B sends back.
      const [onB] = await until(async () => {
        const found = await correlationOf(b, 'case', kase.sys_id);
        return found.length > 0 ? found : undefined;
      }, 'the provider has a correlation for the case');
      expect(onB).toMatchObject({ local_table: 'case', local_record: kase.sys_id, remote_system: b.config.remoteSystemId, state: 'active' });

      // The provider's capture definition leaves work notes out: they are its agents' own.
      await b.api.call('PATCH', `/api/now/table/case/${kase.sys_id}`, { state: '18', work_notes: 'Blame the relay vendor', comments: 'Mail relay restarted' });
      const incidentAfter = await until(async () => {
        const { body } = await a.api.call('GET', `/api/now/table/incident/${incident.sys_id}`);
        const record = body.result as { state: string; comments: { value: string }[]; work_notes: { value: string }[] };
        // Awaiting Info (18) on the case is On Hold (3) on the incident.
        return record.state === '3' && record.comments.some((note) => note.value.startsWith('Mail relay restarted\n(admin, ')) ? record : undefined;
      }, 'the incident has the state and the comment made on the case');
      // The comment keeps who wrote it on the case, and when.
      expect(incidentAfter.comments.filter((note) => note.value.startsWith('Mail relay restarted'))).toHaveLength(1);
      expect(incidentAfter.work_notes).toEqual([]);

      const [onA] = await correlationOf(a, 'incident', incident.sys_id);
      expect(onA).toMatchObject({ local_table: 'incident', local_record: incident.sys_id, remote_system: a.config.remoteSystemId, state: 'active' });
      // Each side's remote id is the other's local id.
      expect(onA!.remote_correlation_id).toBe(onB!.local_correlation_id);
      expect(onB!.remote_correlation_id).toBe(onA!.local_correlation_id);

      // No echo. An echo of B's change would leave A's incident in the same order as any later change of it, so a
      // comment made on A after it is the marker: once B has it, an echo would have reached B first.
      await a.api.call('PATCH', `/api/now/table/incident/${incident.sys_id}`, { comments: 'Marker: sent after the case change came back' });
      await until(async () => {
        const { body } = await b.api.call('GET', `/api/now/table/case/${kase.sys_id}`);
        return (body.result.comments as { value: string }[]).some((note) => note.value.startsWith('Marker: ')) ? true : undefined;
      }, 'the case has the marker comment made on the incident');
      // So A sent its insert and the marker only, B received those two, and B sent only its own change, which A applied.
      // Only this exchange's items: the incident's, and the case's, whichever tests ran before on the pair.
      const queue = async (side: typeof a, which: 'inbound' | 'outbound', record: string) => {
        const items = (await side.api.call('GET', `/api/lockstep/v1/sync/${which}-queue?limit=1000`)).body.result as QueueItem[];
        return items.filter((item) => (item.record?.sys_id ?? (JSON.parse(item.payload_json ?? '{}') as { payload?: { sys_id?: string } }).payload?.sys_id) === record);
      };
      const exchange = () => Promise.all([queue(a, 'outbound', incident.sys_id), queue(b, 'inbound', incident.sys_id), queue(b, 'outbound', kase.sys_id), queue(a, 'inbound', kase.sys_id)]);
      const statuses = async () => (await exchange()).map((items) => items.map((item) => item.status));
      // A marks its marker processed once B's answer reaches it, which may come a moment after B applied it.
      const settled = await eventually(statuses, (queues) => queues.flat().every((status) => status === 'processed'), 'every queue item on both sides is processed');
      expect(settled).toEqual([['processed', 'processed'], ['processed', 'processed'], ['processed'], ['processed']]);
    });

    it('keeps the case when the incident is deleted, stops syncing it, and sends nothing more for it', async () => {
      const { a, b } = pairOf();
      await a.api.call('POST', '/api/now/table/incident', { short_description: 'Printer on fire', priority: '1' });
      const kase = await until(async () => {
        const { body } = await b.api.call('GET', `/api/now/table/case?sysparm_query=short_description=${encodeURIComponent('Printer on fire')}`);
        return body.result[0] as { sys_id: string } | undefined;
      }, 'the provider has the case');
      const caseCorrelation = async () => {
        const { body } = await b.api.call('GET', `/api/lockstep/v1/sync/correlations?local_table=case&local_record=${kase.sys_id}`);
        return (body.result as Correlation[])[0];
      };
      const correlation = await until(caseCorrelation, 'the case has its correlation');
      expect(correlation.state).toBe('active');

      const incident = await a.api.call('GET', `/api/now/table/incident?sysparm_query=short_description=${encodeURIComponent('Printer on fire')}`);
      // Answered 204, or the call throws.
      await a.api.call('DELETE', `/api/now/table/incident/${(incident.body.result[0] as { sys_id: string }).sys_id}`, undefined, { expected: 204 });
      // The basic inbound flow does not delete on the receiver: it keeps the case and makes its correlation inactive.
      await until(async () => ((await caseCorrelation())?.state === 'inactive' ? true : undefined), "the case's correlation is inactive");
      expect((await b.api.call('GET', `/api/now/table/case/${kase.sys_id}`)).body.result).toMatchObject({ sys_id: kase.sys_id, short_description: 'Printer on fire' });

      // A change on the case now stays on B: its outbound flow finds the correlation inactive and sends nothing.
      const items = async (side: typeof a, which: 'inbound' | 'outbound') => (await side.api.call('GET', `/api/lockstep/v1/sync/${which}-queue?limit=1000`)).body.result as { status: string }[];
      const [receivedOnA, sentByB] = [(await items(a, 'inbound')).length, (await items(b, 'outbound')).length];
      await b.api.call('PATCH', `/api/now/table/case/${kase.sys_id}`, { work_notes: 'Fire is out' });
      await until(async () => {
        const outbound = await items(b, 'outbound');
        return outbound.length > sentByB && outbound.every((item) => item.status === 'processed') ? true : undefined;
      }, "B's outbound flow has run for the work note");
      expect(await items(a, 'inbound')).toHaveLength(receivedOnA);
    });
  });
}
