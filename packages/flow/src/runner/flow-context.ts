import type { PortName, SubflowGraph, SubflowKind } from '@lockstep/schema';
import type { FailureCode } from '../failure-codes.js';
import type { RunAs } from '../implementation.js';
import type { SyncRun } from '../sync-run.js';

export type FlowContextStatus = 'running' | 'waiting' | 'completed' | 'error';

/** The latest execution of one node in a run: what the designer's test view and the context view show. */
export interface StepRecord {
  node_id: string;
  type: string;
  label: string;
  status: 'running' | 'done' | 'waiting' | 'failed';
  /** How many times the node has run in this run, this one included (loops run nodes again). */
  execution: number;
  attempt: number;
  /** The params after data pills were resolved. */
  input: unknown;
  output: unknown;
  error: string | null;
  /** What kind of failure, when it failed: the error branch sees it as steps.<node>.error.code. */
  error_code: FailureCode | null;
  port: PortName | null;
  /** The attempt a pending retry will make. */
  next_attempt: number | null;
  started_at: number;
  finished_at: number | null;
  duration_ms: number | null;
}

export interface FlowFailure {
  message: string;
  node_id: string | null;
  /** The failed step's code (it had no error branch), or the runner's own (`time_limit`, `internal`). */
  code: FailureCode;
}

/**
 * One run of a subflow, persisted after every step so a run whose process
 * dies resumes at the node it was on.
 */
export interface FlowContextDocument {
  _id: string;
  subflow_id: string;
  /** A published version, or 'draft' for a test run of unpublished work. */
  subflow_version: number | 'draft';
  subflow_name: string;
  kind: SubflowKind;
  /** Only for draft runs: the graph as it was run, since the draft may change before a wait ends. */
  graph: SubflowGraph | null;
  status: FlowContextStatus;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  error: FlowFailure | null;
  steps: Record<string, StepRecord>;
  step_count: number;
  /** Running time so far, waits excluded; the subflow's time limit applies to it. */
  active_ms: number;
  time_limit_ms: number;
  /**
   * Where a resumed run goes on: the node in flight or waiting; null once the
   * run has ended. With `vars`, `memory` and the step records, it is the run's
   * state, written piece by piece as it changes rather than as one XState
   * snapshot per step, so a step's write does not grow with the run's data.
   */
  position: string | null;
  /** Flow variables as of the last step. */
  vars: Record<string, unknown>;
  /** What nodes keep between their executions (a loop's place, a wait's deadline), by node id. */
  memory: Record<string, unknown>;
  /** When a waiting run is due (epoch ms); null while it waits for something to wake it. */
  resume_at: number | null;
  /** Until when the process running it holds it (epoch ms); an expired lease means that process died. */
  lease_until: number | null;
  parent: { context_id: string; node_id: string } | null;
  run_as: RunAs;
  /**
   * The domain the run works in: its run-as user's, or an outbound run's
   * queued record's. Who may read the context follows it, since the context
   * holds the records and payloads the run handled.
   */
  sys_domain: string;
  /** The remote system whose change the run applies; see StepContext.origin. */
  origin: string | null;
  /** See StepContext.sync. Absent from contexts stored before it was kept. */
  sync?: SyncRun | null;
  test_run: boolean;
  created_at: number;
  updated_at: number;
}

/** Where flow contexts are kept: the runtime's store, or memory in tests and benchmarks. */
export interface FlowContextStore {
  insert(context: FlowContextDocument): Promise<void>;
  /** Sets top-level fields, and `steps.<node id>` and `memory.<node id>` paths, in one write. */
  update(id: string, set: Record<string, unknown>): Promise<void>;
  get(id: string): Promise<FlowContextDocument | null>;
}

/**
 * Applies a store `update`'s change to a context held in memory: top-level
 * fields, and `steps.<node id>` and `memory.<node id>` paths (a null memory
 * is forgotten). Nested maps are replaced, not changed in place, since a
 * run's state may share them. `copy` copies each value taken in.
 */
export function applyContextChange(context: FlowContextDocument, set: Record<string, unknown>, copy: <T>(value: T) => T = (value) => value): void {
  for (const [path, value] of Object.entries(set)) {
    const [head, node] = path.split('.', 2);
    if (head === 'steps' && node !== undefined) context.steps = { ...context.steps, [node]: copy(value as StepRecord) };
    else if (head === 'memory' && node !== undefined) {
      const { [node]: _forgotten, ...others } = context.memory;
      context.memory = value === null ? others : { ...others, [node]: copy(value) };
    } else (context as unknown as Record<string, unknown>)[path] = copy(value);
  }
}

/** Keeps contexts in memory: for tests, and for measuring the engine without I/O. */
export class MemoryContextStore implements FlowContextStore {
  readonly contexts = new Map<string, FlowContextDocument>();

  async insert(context: FlowContextDocument): Promise<void> {
    this.contexts.set(context._id, structuredClone(context));
  }

  async update(id: string, set: Record<string, unknown>): Promise<void> {
    const context = this.contexts.get(id);
    if (!context) throw new Error(`no flow context ${id}`);
    applyContextChange(context, set, structuredClone);
  }

  async get(id: string): Promise<FlowContextDocument | null> {
    const context = this.contexts.get(id);
    return context ? structuredClone(context) : null;
  }
}
