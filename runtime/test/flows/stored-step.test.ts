import type { StepRecord } from '@lockstep/flow';
import { describe, expect, it } from 'vitest';
import { decodeStep, encodeStep, type StoredStepFields } from '../../src/flows/stored-step.js';

function step(fields: Partial<StepRecord> = {}): StepRecord {
  return {
    node_id: 'lookup', type: 'sync.lookupCorrelationByLocalRecord', label: 'Look up', status: 'done', execution: 1, attempt: 1,
    input: { table: 'incident' }, output: { found: false }, error: null, error_code: null, port: null, next_attempt: null,
    started_at: 100, finished_at: 112, duration_ms: 12, ...fields,
  };
}

describe('a flow context step as stored', () => {
  it('is one JSON text that leaves out what nearly every step has, and reads back whole', () => {
    const stored = encodeStep(step(), true);
    expect(JSON.parse(stored)).toEqual({ type: 'sync.lookupCorrelationByLocalRecord', label: 'Look up', started_at: 100, finished_at: 112, input: { table: 'incident' }, output: { found: false } });
    expect(decodeStep('lookup', stored)).toEqual(step());
  });

  it('keeps keys the stores refuse as field names inside its text', () => {
    const dotted = step({ input: { 'a.b': 1, $set: { x: 'y' } }, output: { record: { 'sys.id': '"quoted"' } } });
    expect(decodeStep('lookup', encodeStep(dotted, true))).toEqual(dotted);
  });

  it('keeps every field that is not as usual: a failed retry, a port, a step still running', () => {
    const failed = step({ status: 'failed', attempt: 2, execution: 3, error: 'refused', error_code: 'peer_rejected_data', port: 'error', next_attempt: 3 });
    expect(decodeStep('lookup', encodeStep(failed, false))).toEqual(failed);
    const running = step({ status: 'running', output: null, finished_at: null, duration_ms: null });
    expect(decodeStep('lookup', encodeStep(running, false))).toEqual(running);
  });

  it('keeps an output that repeats the input once', () => {
    const echo = step({ type: 'flow.end', input: { outputs: {} }, output: { outputs: {} } });
    const stored = encodeStep(echo, true);
    expect(JSON.parse(stored)).not.toHaveProperty('output');
    expect(decodeStep('lookup', stored)).toEqual(echo);
  });

  it('reads a step stored as fields, as contexts were before it was one text', () => {
    const fields: StoredStepFields = { type: 'flow.end', label: 'End', started_at: 100, finished_at: 112, input_json: '{"outputs":{}}' };
    expect(decodeStep('end', fields)).toEqual(step({ node_id: 'end', type: 'flow.end', label: 'End', input: { outputs: {} }, output: { outputs: {} } }));
  });

  it('reads a step stored whole, as contexts were before', () => {
    const { input, output, ...rest } = step({ port: 'true' });
    const whole = { ...rest, input_json: JSON.stringify(input), output_json: JSON.stringify(output) } as StoredStepFields;
    expect(decodeStep('lookup', whole)).toEqual(step({ port: 'true' }));
  });
});
