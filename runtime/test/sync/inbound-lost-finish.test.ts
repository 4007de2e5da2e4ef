import { beforeAll, expect, it } from 'vitest';
import { describeOnEachStore } from '../support/runtime.js';
import { caseOf, change, processedItem, send, useCaseInboundPair, workNote, workNotesOf } from './inbound-processor-setup.js';
import type { PeerSide } from './peer-pair.js';

/**
 * An inbound item's run moves its key's cursor, then the item is recorded
 * as processed. A process killed between the two leaves the item ready
 * (its claim released at the restart) with the cursor already past it. The
 * key goes on with the next item; the one left behind must still end as
 * processed, and not be applied again. (Once, it stayed ready for ever,
 * and a stream cut by a SIGKILL never showed all its changes processed.)
 */
describeOnEachStore('an inbound item whose finish a kill lost after its run moved the cursor', (variant) => {
  const pair = useCaseInboundPair(variant.settings);
  let a: PeerSide;
  let b: PeerSide;
  beforeAll(() => ({ a, b } = pair()));

  const processed = (id: string) => processedItem(b, id);

  it('is recorded as processed once the key has gone past it, and its change is not applied twice', async () => {
    const insert = change(a, b, 'INC0000201', 1, { short_description: 'Lost finish' });
    await send(b, insert);
    expect((await processed(insert.id)).status).toBe('processed');
    const update = change(a, b, 'INC0000201', 2, { short_description: 'Applied once' }, workNote('Only once'));
    await send(b, update);
    const applied = await processed(update.id);
    expect(applied.status).toBe('processed');

    // As the kill left it: run and cursor done, the item back to ready with its finish lost.
    await b.runtime.store.collection('sync_inbound_queue').updateOne({ _id: update.id }, { $set: { status: 'ready', finished_at: null, processing_ms: null } });
    // The key goes on before anything looks at the item left behind.
    const next = change(a, b, 'INC0000201', 3, { priority: '1' });
    await send(b, next);
    expect((await processed(next.id)).status).toBe('processed');

    const recorded = await processed(update.id);
    expect(recorded).toMatchObject({ status: 'processed', transform_context: applied.transform_context });
    expect(await caseOf(b, 'INC0000201')).toMatchObject({ short_description: 'Applied once', priority: '1' });
    expect(await workNotesOf(b, 'INC0000201')).toEqual(['Only once']);
  });
});
