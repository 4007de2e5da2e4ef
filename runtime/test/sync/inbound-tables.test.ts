import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredCorrelation } from '../../src/sync/correlation/correlation-store.js';
import { change, eventually, ok, publishedCopy, queueItem, send } from './inbound-processor-setup.js';
import { activate, startPeerPair, type PeerSide } from './peer-pair.js';

/**
 * The sender names each change's table. The shipped inbound template, copied
 * as it is, writes only the tables its Create record and Update record list
 * (incident): a change for another table, one the run-as user could write,
 * fails its step with a clear error instead of making a record there.
 */
describe('the inbound template as shipped', () => {
  let a: PeerSide;
  let b: PeerSide;
  beforeAll(async () => {
    ({ a, b } = await startPeerPair(() => ({})));
    for (const side of [a, b]) await ok(await activate(side));
    const subflow = await publishedCopy(b.runtime, 'inbound-basic', () => undefined);
    const link = { process_sync_definition: b.definitionId, process_event: b.processEventId, remote_system: b.remoteSystemId, subflow };
    await ok(await b.runtime.call('POST', '/api/lockstep/v1/sync/inbound-flows', { body: link }), 201);
  });
  afterAll(() => Promise.all([a?.runtime.dispose(), b?.runtime.dispose()]));

  const finished = (id: string) => eventually(() => queueItem(b, id), (item) => item.status === 'processed' || item.status === 'error');
  const correlationOf = (senderId: string) => b.runtime.store.collection<StoredCorrelation>('sync_correlation').findOne({ remote_system: b.remoteSystemId, remote_correlation_id: senderId });

  it('creates a record in a table it lists', async () => {
    const insert = change(a, b, 'INC0000301', 1, { short_description: 'Into incident' });
    await send(b, insert);
    expect(await finished(insert.id)).toMatchObject({ status: 'processed', error_info: null });
    expect(await correlationOf('INC0000301')).toMatchObject({ local_table: 'incident' });
  });

  it('refuses a change for another table the sender names, and creates nothing there', async () => {
    const cases = async () => (await ok(await b.runtime.call('GET', '/api/now/table/case'))).result.length;
    const before = await cases();
    const insert = change(a, b, 'INC0000302', 1, { short_description: 'Into case' });
    insert.payload.table = 'case';
    await send(b, insert);
    const failed = await finished(insert.id);
    expect(failed.status).toBe('error');
    expect(failed.error_info).toContain("the table case is not one this step may write (its tables param allows incident); add it there if records of case should be written");
    expect(await cases()).toBe(before);
    expect(await correlationOf('INC0000302')).toBeNull();
  });
});
