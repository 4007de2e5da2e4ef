import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuplicateKeyError, openEmbeddedStore } from '@lockstep/store';
import { expectProblem } from '../support/problem.js';
import { startTestRuntime, type TestRuntime } from '../support/runtime.js';

const EVENT = 'aa'.repeat(16);
const REMOTE = 'bb'.repeat(16);
const DEFINITION = 'cc'.repeat(16);

/** An outbound flow as stored, made before one flow per event and remote system was the rule. */
const flow = (id: string) => ({
  _id: id,
  process_sync_definition: DEFINITION,
  process_event: EVENT,
  remote_system: REMOTE,
  subflow: 'outbound-basic',
  sys_domain: 'global',
  sys_created_on: '2026-01-01 00:00:00',
  sys_created_by: 'admin',
  sys_updated_on: '2026-01-01 00:00:00',
  sys_updated_by: 'admin',
});

describe('a store that already holds two outbound flows for one event and remote system', () => {
  let dataDir: string;
  let runtime: TestRuntime | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'lockstep-flow-duplicates-'));
    const store = await openEmbeddedStore({ dataDir });
    await store.collection('sync_outbound_flow').insertMany([flow('first'), flow('second')]);
    await store.close();
  });
  afterAll(async () => {
    await runtime?.dispose();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("still starts, refuses a change that would keep the two, and takes the unique index once one of the two is gone", async () => {
    runtime = await startTestRuntime({ 'data-dir': dataDir });
    const flows = runtime.store.collection('sync_outbound_flow');
    expect(await flows.countDocuments({ process_event: EVENT })).toBe(2);
    // The API's own check stands in for the index it could not make.
    const third = await runtime.call('PATCH', '/api/lockstep/v1/sync/outbound-flows/second', { body: { subflow: 'outbound-basic' } });
    expect(third.status).toBe(409);
    await expectProblem(third, 409, 'duplicate');

    await flows.deleteOne({ _id: 'second' });
    await runtime.stop();
    runtime = await startTestRuntime({ 'data-dir': dataDir });
    await expect(runtime.store.collection('sync_outbound_flow').insertOne(flow('third'))).rejects.toBeInstanceOf(DuplicateKeyError);
  });
});
