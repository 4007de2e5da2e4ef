import type { SubflowGraph, SubflowKind, SubflowVariable } from '@lockstep/schema';
import { nodeDefinition } from '../catalog.js';
import { sharedExpressionEvaluator, type ExpressionEvaluator } from '../expressions/expression-evaluator.js';
import type { NodeImplementation, RunAs, StepLog } from '../implementation.js';
import type { SyncRun } from '../sync-run.js';
import { ActiveRun, LEASE_MARGIN_MS, type RunEnvironment } from './active-run.js';
import { CompiledFlowCache, compileSubflow, type CompiledFlow } from './compile.js';
import type { FlowContextDocument, FlowContextStore } from './flow-context.js';

/** A subflow the runner can run: a published version, or a draft under test. */
export interface RunnableSubflow {
  id: string;
  version: number | 'draft';
  graph: SubflowGraph;
}

export interface StartOptions {
  runAs: RunAs;
  /** The remote system whose change the run applies, for inbound flows. @default null */
  origin?: string | null;
  /** What the sync queue or a dry run tells the run's steps. @default null */
  sync?: SyncRun | null;
  /** A context id chosen by the caller; starting twice with the same id runs once. */
  contextId?: string;
  parent?: { context_id: string; node_id: string };
  testRun?: boolean;
  /**
   * True when the caller starts the run again from its beginning, under the
   * same context id, if this process dies before the run settles: a sync
   * queue item, whose lease brings it back. Then no step is written ahead,
   * and the run is stored once, when it completes, fails or waits. Its steps'
   * idempotency keys come out the same the second time, so a record it
   * created or updated is not written twice.
   * @default false
   */
  restartable?: boolean;
  /**
   * True when no run can have been stored under `contextId`: an id its
   * caller made for this start alone (an outbound item's claim). The look-up
   * for an earlier run under it, which would find nothing, is left out.
   * @default false
   */
  newContextId?: boolean;
}

export interface FlowRunnerOptions {
  implementations: readonly NodeImplementation[];
  store: FlowContextStore;
  /** Finds a published version again when a run resumes. */
  loadVersion(id: string, version: number): Promise<RunnableSubflow | null>;
  newId(): string;
  log?: StepLog;
  now?: () => number;
  /** Where data pills that are not plain paths are evaluated. @default one shared by runners given none, with the default limits */
  expressions?: ExpressionEvaluator;
}

export class InvalidInputsError extends Error {
  override readonly name = 'InvalidInputsError';
  constructor(readonly findings: { input: string; message: string }[]) {
    super(`the inputs are not valid: ${findings.map((finding) => `${finding.input}: ${finding.message}`).join('; ')}`);
  }
}

const typeChecks: Record<SubflowVariable['type'], (value: unknown) => boolean> = {
  string: (value) => typeof value === 'string',
  number: (value) => typeof value === 'number' && Number.isFinite(value),
  boolean: (value) => typeof value === 'boolean',
  object: (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  array: Array.isArray,
  any: () => true,
};

function checkInputs(declared: SubflowVariable[], inputs: Record<string, unknown>): void {
  const findings: { input: string; message: string }[] = [];
  for (const variable of declared) {
    const value = inputs[variable.name];
    if (value === undefined || value === null) {
      if (variable.required) findings.push({ input: variable.name, message: 'is required' });
    } else if (!typeChecks[variable.type](value)) {
      findings.push({ input: variable.name, message: `must be a${variable.type === 'any' ? 'ny value' : ` ${variable.type}`}` });
    }
  }
  if (findings.length > 0) throw new InvalidInputsError(findings);
}

/**
 * Runs subflows as XState machines, persisting a flow context after every
 * step. `start` runs a new context; `resume` goes on with one that waited or
 * whose process died. Either resolves when the run completes, fails or waits.
 */
export class FlowRunner {
  private readonly compiled = new CompiledFlowCache(nodeDefinition);
  private readonly implementations: ReadonlyMap<string, NodeImplementation>;
  private readonly environment: RunEnvironment;
  private readonly endedListeners: ((context: FlowContextDocument) => void)[] = [];
  private readonly waitingListeners: ((context: FlowContextDocument) => void)[] = [];

  constructor(private readonly options: FlowRunnerOptions) {
    this.implementations = new Map(options.implementations.map((implementation) => [implementation.definition.type, implementation]));
    this.environment = {
      store: options.store,
      implementationOf: (type) => this.implementations.get(type),
      log: options.log ?? (() => undefined),
      now: options.now ?? Date.now,
      expressions: options.expressions ?? sharedExpressionEvaluator(),
      ended: (context) => {
        for (const listener of this.endedListeners) listener(context);
      },
      waiting: (context) => {
        for (const listener of this.waitingListeners) listener(context);
      },
    };
  }

  /** Tells `listener` of each run that completes or fails (the runtime's metrics); it must be quick and never throw. */
  onEnded(listener: (context: FlowContextDocument) => void): void {
    this.endedListeners.push(listener);
  }

  /** Tells `listener` of each run that waits until a time (its resume_at), once stored (the waker, to resume it then); it must be quick and never throw. */
  onWaiting(listener: (context: FlowContextDocument) => void): void {
    this.waitingListeners.push(listener);
  }

  async start(subflow: RunnableSubflow, inputs: Record<string, unknown>, options: StartOptions): Promise<FlowContextDocument> {
    checkInputs(subflow.graph.inputs, inputs);
    if (options.contextId !== undefined && options.newContextId !== true) {
      const existing = await this.options.store.get(options.contextId);
      if (existing) return existing.status === 'running' ? this.resume(existing._id) : existing;
    }
    const now = this.environment.now();
    const context: FlowContextDocument = {
      _id: options.contextId ?? this.options.newId(),
      subflow_id: subflow.id,
      subflow_version: subflow.version,
      subflow_name: subflow.graph.name,
      kind: subflow.graph.kind as SubflowKind,
      graph: subflow.version === 'draft' ? subflow.graph : null,
      status: 'running',
      inputs,
      outputs: {},
      error: null,
      steps: {},
      step_count: 0,
      active_ms: 0,
      time_limit_ms: subflow.graph.timeLimitMs,
      position: null,
      vars: {},
      memory: {},
      resume_at: null,
      lease_until: now + subflow.graph.timeLimitMs + LEASE_MARGIN_MS,
      parent: options.parent ?? null,
      run_as: options.runAs,
      sys_domain: options.runAs.domain,
      origin: options.origin ?? null,
      sync: options.sync ?? null,
      test_run: options.testRun ?? false,
      created_at: now,
      updated_at: now,
    };
    // Stored by the run's first write (see ActiveRun).
    return new ActiveRun(this.compile(subflow), context, this.environment, { stored: false, writeAhead: !options.restartable }).drive();
  }

  /**
   * Goes on with a waiting run, or one whose process died mid-step (it redoes
   * that step, idempotently); one that died before its first step starts over.
   */
  async resume(contextId: string): Promise<FlowContextDocument> {
    const context = await this.options.store.get(contextId);
    if (!context) throw new Error(`there is no flow context ${contextId}`);
    if (context.status === 'completed' || context.status === 'error') return context;
    const subflow = await this.subflowOf(context);
    const now = this.environment.now();
    await this.options.store.update(contextId, {
      status: 'running',
      lease_until: now + Math.max(0, context.time_limit_ms - context.active_ms) + LEASE_MARGIN_MS,
      updated_at: now,
    });
    return new ActiveRun(this.compile(subflow), context, this.environment, { stored: true, writeAhead: true }).drive();
  }

  private async subflowOf(context: FlowContextDocument): Promise<RunnableSubflow> {
    if (context.subflow_version === 'draft') {
      if (!context.graph) throw new Error(`flow context ${context._id} ran a draft but kept no graph`);
      return { id: context.subflow_id, version: 'draft', graph: context.graph };
    }
    const subflow = await this.options.loadVersion(context.subflow_id, context.subflow_version);
    if (!subflow) throw new Error(`subflow ${context.subflow_id} version ${context.subflow_version} is gone; the run cannot go on`);
    return subflow;
  }

  /** Published versions never change, so their machines are cached; drafts are compiled for each run. */
  private compile(subflow: RunnableSubflow): CompiledFlow {
    return subflow.version === 'draft' ? compileSubflow(subflow.graph, nodeDefinition) : this.compiled.get(`${subflow.id}@${subflow.version}`, subflow.graph);
  }
}
