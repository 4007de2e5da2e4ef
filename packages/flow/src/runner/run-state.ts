import type { PortName } from '@lockstep/schema';
import type { FailureCode } from '../failure-codes.js';
import type { FlowData } from '../implementation.js';
import type { FlowContextDocument } from './flow-context.js';

/** The XState machine's context: everything a run needs to go on. */
export interface RunState {
  data: FlowData;
  /** What each node keeps between its executions in this run. */
  memory: Record<string, unknown>;
  /** How many times each node has finished in this run. */
  executions: Record<string, number>;
  /** The attempt each node is on, while retries are pending. */
  attempts: Record<string, number>;
  outputs: Record<string, unknown>;
  failure: { message: string; nodeId: string; code: FailureCode } | null;
}

/** What one step's invoked actor resolves with; the machine's transitions branch on it. */
export type StepEvent =
  | { kind: 'done'; port: PortName | null; output: unknown; variables?: Record<string, unknown>; memory?: unknown }
  | { kind: 'suspend'; until: number | null; reason: string; memory?: unknown; attempt?: number }
  /** `fatal` failures (the time limit) end the run even when the node has an error branch. */
  | { kind: 'failed'; message: string; code: FailureCode; fatal: boolean };

export function initialRunState(inputs: Record<string, unknown>): RunState {
  return { data: { inputs, steps: {}, vars: {} }, memory: {}, executions: {}, attempts: {}, outputs: {}, failure: null };
}

/**
 * Rebuilds a run's state from its context document, to go on where it was.
 * One thing is not kept: the previous output of the node being re-entered,
 * which only that node itself could read, and which it is about to replace.
 */
export function restoreRunState(context: FlowContextDocument): RunState {
  const state = initialRunState(context.inputs);
  state.data.vars = context.vars;
  state.memory = context.memory;
  for (const [nodeId, record] of Object.entries(context.steps)) {
    const finished = record.status === 'done' || record.status === 'failed';
    state.executions[nodeId] = finished ? record.execution : record.execution - 1;
    if (record.status === 'done') state.data.steps[nodeId] = record.output;
    if (record.status === 'failed') state.data.steps[nodeId] = { error: { message: record.error, code: record.error_code } };
    if (record.next_attempt !== null) state.attempts[nodeId] = record.next_attempt;
    else if (!finished) state.attempts[nodeId] = record.attempt;
  }
  return state;
}
