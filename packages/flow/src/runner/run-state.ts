import type { PortName } from '@lockstep/schema';
import type { FlowData } from '../implementation.js';

/** The XState machine's context: everything a run needs to go on, and so what its snapshot keeps. */
export interface RunState {
  data: FlowData;
  /** What each node keeps between its executions in this run. */
  memory: Record<string, unknown>;
  /** How many times each node has finished in this run. */
  executions: Record<string, number>;
  /** The attempt each node is on, while retries are pending. */
  attempts: Record<string, number>;
  outputs: Record<string, unknown>;
  failure: { message: string; nodeId: string; code: string } | null;
}

/** What one step's invoked actor resolves with; the machine's transitions branch on it. */
export type StepEvent =
  | { kind: 'done'; port: PortName | null; output: unknown; variables?: Record<string, unknown>; memory?: unknown }
  | { kind: 'suspend'; until: number | null; reason: string; memory?: unknown; attempt?: number }
  /** `fatal` failures (the time limit) end the run even when the node has an error branch. */
  | { kind: 'failed'; message: string; code: string; fatal: boolean };

export function initialRunState(inputs: Record<string, unknown>): RunState {
  return { data: { inputs, steps: {}, vars: {} }, memory: {}, executions: {}, attempts: {}, outputs: {}, failure: null };
}
