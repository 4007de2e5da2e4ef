import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queuedItem } from '../support/queued-item.js';
import { startTestRuntime, type TestRuntime } from '../support/runtime.js';

const EVENT = 'aa'.repeat(16);
const REMOTE = 'cc'.repeat(16);
const KEY = `incident:${'dd'.repeat(16)}:${REMOTE}`;

/** Item `sequence` of one key, in `status`; `changes` set what a run left on it. */
function item(sequence: number, status: string, changes: Record<string, unknown> = {}) {
  return queuedItem({ _id: `item-${sequence}`, process_event: EVENT, remote_system: REMOTE, correlation_key: KEY, sequence, status, created_at: Date.now() + sequence, ...changes });
}

describe.each(['outbound', 'inbound'])('what a %s queue item waits for', (side) => {
  let runtime: TestRuntime;
  const read = async (id: string) => (await (await runtime.call('GET', `/api/lockstep/v1/sync/${side}-queue/${id}`)).json()).result;

  beforeAll(async () => {
    runtime = await startTestRuntime();
    await runtime.store.collection(`sync_${side}_queue`).insertMany([
      item(1, 'processed'),
      // Sent back to ready with its retries used up: stuck, as an error is.
      item(2, 'ready', { retry: { attempts: 0, next_attempt_at: null, last_error: 'the peer is unreachable' } }),
      item(3, 'error', { error_info: 'no outbound flow sends this event' }),
      item(4, 'ready'),
    ]);
  });
  afterAll(() => runtime?.dispose());

  it('names the first earlier item of its key still to go, with why it is held up', async () => {
    expect((await read('item-4')).waiting_for).toEqual({
      sys_id: 'item-2',
      sequence: 2,
      status: 'ready',
      error: side === 'outbound' ? 'the peer is unreachable' : null,
    });
    expect((await read('item-3')).waiting_for).toBeNull();
  });

  it('is null for the first of its key, and for an item that is not waiting', async () => {
    expect((await read('item-2')).waiting_for).toBeNull();
    expect((await read('item-1')).waiting_for).toBeNull();
    await runtime.store.collection(`sync_${side}_queue`).updateOne({ _id: 'item-2' }, { $set: { status: 'skipped' } });
    expect((await read('item-4')).waiting_for).toEqual({ sys_id: 'item-3', sequence: 3, status: 'error', error: 'no outbound flow sends this event' });
  });
});
