import type { StepRecord } from '@lockstep/flow';
import { describe, expect, it } from 'vitest';
import { decodeStep, encodeStep, type StoredStep } from '../../src/flows/stored-step.js';

function step(fields: Partial<StepRecord> = {}): StepRecord {
  return {
    node_id: 'lookup', type: 'sync.lookupCorrelationByLocalRecord', label: 'Look up', status: 'done', execution: 1, attempt: 1,
    input: { table: 'incident' }, output: { found: false }, error: null, error_code: null, port: null, next_attempt: null,
    started_at: 100, finished_at: 112, duration_ms: 12, ...fields,
  };
}

describe('a flow context step as stored', () => {
  it('leaves out what nearly every step has, and reads back whole', () => {
    const stored = encodeStep(step(), true);
    expect(stored).toEqual({ type: 'sync.lookupCorrelationByLocalRecord', label: 'Look up', started_at: 100, finished_at: 112, input_json: '{"table":"incident"}', output_json: '{"found":false}' });
    expect(decodeStep('lookup', stored)).toEqual(step());
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
    expect(stored.output_json).toBeUndefined();
    expect(decodeStep('lookup', stored)).toEqual(echo);
  });

  it('reads a step stored whole, as contexts were before', () => {
    const { input, output, ...rest } = step({ port: 'true' });
    const whole = { ...rest, input_json: JSON.stringify(input), output_json: JSON.stringify(output) } as StoredStep;
    expect(decodeStep('lookup', whole)).toEqual(step({ port: 'true' }));
  });
});
