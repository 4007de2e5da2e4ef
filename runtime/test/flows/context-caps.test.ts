import type { FlowContextDocument, StepRecord } from '@lockstep/flow';
import { afterAll, describe, expect, it } from 'vitest';
import { StoredFlowContexts } from '../../src/flows/context-store.js';
import { STEP_VALUE_MAX_BYTES } from '../../src/flows/step-value-cap.js';
import { storeAdapters } from '../store/adapters.js';

const big = { record: { description: 'x'.repeat(STEP_VALUE_MAX_BYTES * 2) } };

function step(node_id: string, status: StepRecord['status']): StepRecord {
  return { node_id, type: 'record.update', label: node_id, status, execution: 1, attempt: 1, input: big, output: big, error: null, error_code: null, port: null, next_attempt: null, started_at: 1, finished_at: 2, duration_ms: 1 };
}

function context(id: string, status: FlowContextDocument['status']): FlowContextDocument {
  return {
    _id: id, subflow_id: 's', subflow_version: 1, subflow_name: 'S', kind: 'custom', graph: null, status, inputs: {}, outputs: {}, error: null,
    steps: { update: step('update', 'done') }, step_count: 1, active_ms: 1, time_limit_ms: 30_000, position: status === 'waiting' ? 'wait' : null,
    vars: {}, memory: {}, resume_at: null, lease_until: null, parent: null, run_as: { userId: 'u', userName: 'u', roles: [], domain: 'global' },
    sys_domain: 'global', origin: null, test_run: false, created_at: 1, updated_at: 1,
  } as FlowContextDocument;
}

for (const adapter of storeAdapters()) {
  describe.skipIf(adapter.skipReason !== undefined)(`flow context sizes on the ${adapter.name} store`, () => {
    afterAll(() => adapter.dispose());

    it("keeps a step's output whole while the run may go on, and caps it, and every input, once the run ended", async () => {
      const store = await adapter.open();
      try {
        const contexts = new StoredFlowContexts(store);
        await contexts.insert(context('waiting', 'waiting'));
        await contexts.insert(context('ended', 'completed'));
        const waiting = (await contexts.get('waiting'))!.steps.update!;
        const ended = (await contexts.get('ended'))!.steps.update!;
        // A waiting run is rebuilt from its steps' outputs, so they stay whole; inputs are for reading only.
        expect(waiting.output).toEqual(big);
        expect(waiting.input).toMatchObject({ truncated: true, bytes: JSON.stringify(big).length });
        expect(ended.output).toMatchObject({ truncated: true, bytes: JSON.stringify(big).length });
        expect(JSON.stringify(ended).length).toBeLessThan(STEP_VALUE_MAX_BYTES);

        // The same holds for a run that ends by an update.
        await contexts.update('waiting', { status: 'completed', 'steps.update': step('update', 'done') });
        expect((await contexts.get('waiting'))!.steps.update!.output).toMatchObject({ truncated: true });
      } finally {
        await store.close();
      }
    });
  });
}
