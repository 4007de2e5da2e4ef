import type { FlowContextDocument } from '@lockstep/flow';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { ContextSweeper } from '../../src/flows/context-retention.js';
import { StoredFlowContexts } from '../../src/flows/context-store.js';
import { storeAdapters } from '../store/adapters.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 3);

function context(id: string, status: FlowContextDocument['status'], updatedDaysAgo: number): FlowContextDocument {
  return {
    _id: id, subflow_id: 's', subflow_version: 1, subflow_name: 'S', kind: 'custom', graph: null, status, inputs: {}, outputs: {}, error: null,
    steps: {}, step_count: 0, active_ms: 0, time_limit_ms: 30_000, position: null, vars: {}, memory: {}, resume_at: null, lease_until: null, parent: null,
    run_as: { userId: 'u', userName: 'u', roles: [], domain: 'global' }, sys_domain: 'global', origin: null, test_run: false,
    created_at: NOW - updatedDaysAgo * DAY, updated_at: NOW - updatedDaysAgo * DAY,
  } as FlowContextDocument;
}

for (const adapter of storeAdapters()) {
  describe.skipIf(adapter.skipReason !== undefined)(`flow context retention on the ${adapter.name} store`, () => {
    afterAll(() => adapter.dispose());

    it('deletes completed runs after 7 days and failed ones after 30, and never a run that may go on', async () => {
      const store = await adapter.open();
      try {
        const contexts = new StoredFlowContexts(store);
        const kept = [context('completed-6d', 'completed', 6), context('failed-29d', 'error', 29), context('waiting-90d', 'waiting', 90), context('running-90d', 'running', 90)];
        const gone = [context('completed-8d', 'completed', 8), context('failed-31d', 'error', 31)];
        for (const run of [...kept, ...gone]) await contexts.insert(run);
        await new ContextSweeper(contexts, { completedDays: 7, failedDays: 30 }, pino({ level: 'silent' }), () => NOW).sweep();
        for (const run of kept) expect(await contexts.get(run._id), run._id).not.toBeNull();
        for (const run of gone) expect(await contexts.get(run._id), run._id).toBeNull();
      } finally {
        await store.close();
      }
    });
  });
}
