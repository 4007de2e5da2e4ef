import type { PortName, SubflowNode } from '@lockstep/schema';
import { createActor, type AnyActor } from 'xstate';
import { ExpressionError, resolvePills } from '../expressions/evaluate.js';
import type { ExpressionEvaluator } from '../expressions/expression-evaluator.js';
import { StepError, type NodeImplementation, type StepContext, type StepLog, type StepOutcome } from '../implementation.js';
import { DEFAULT_NODE_TIMEOUT_MS } from '../node-definition.js';
import { COMPLETED, FAILED, NODE_PREFIX, waitingState, type CompiledFlow, type FlowEvent } from './compile.js';
import { applyContextChange, type FlowContextDocument, type FlowContextStatus, type FlowContextStore, type StepRecord } from './flow-context.js';
import type { FailureCode } from '../failure-codes.js';
import { initialRunState, restoreRunState, type RunState, type StepEvent } from './run-state.js';

export interface RunEnvironment {
  store: FlowContextStore;
  implementationOf(type: string): NodeImplementation | undefined;
  log: StepLog;
  now(): number;
  expressions: ExpressionEvaluator;
  /** Told of each run that completed or failed, once stored. */
  ended(context: FlowContextDocument): void;
  /** Told of each run that waits until a time (resume_at), once stored. */
  waiting(context: FlowContextDocument): void;
}

/** Extra time a process holds a run beyond its remaining budget, before another may take it over. */
export const LEASE_MARGIN_MS = 30_000;

/** Raised when the store cannot record progress: the run must stop where it is and be resumed later. */
class PersistenceFailure extends Error {
  override readonly name = 'PersistenceFailure';
}

const failed = (message: string, code: FailureCode, fatal = false): StepEvent => ({ kind: 'failed', message, code, fatal });

/**
 * Drives one run in this process, from its start or from where it was, until
 * it completes, fails or suspends. Before each step with side effects it
 * writes where the run is and the step's start (write-ahead), so a side
 * effect never happens unrecorded, and a process that dies mid-step resumes
 * at that step.
 *
 * Steps without side effects (flow logic, look-ups, transforms) are not
 * written ahead: their records go with the next write. DESIGN.md has the
 * context persisted after every step; this writes half as often on a sync
 * flow, and resumes the same way, since a process that dies among such
 * steps goes on from the last step written, and running them again changes
 * nothing outside the run. A new run is first stored by that first write,
 * as until then there is nothing a restart would need to know.
 *
 * A restartable run (a sync queue item's) writes nothing ahead at all: its
 * caller starts it over after a crash, and its keys come out the same.
 */
export class ActiveRun {
  private readonly segmentStart: number;
  /** Finished steps' records not written yet, by node: they go with the next write. */
  private readonly pendingSteps = new Map<string, StepRecord>();
  /** The step that was in flight when the run was last persisted, if it was restored mid-step. */
  private inFlight: StepRecord | null;
  /** The variables and node memories as last written, to write only what changed. */
  private persistedVars: Record<string, unknown> = {};
  private persistedMemory: Record<string, unknown> = {};
  /** When the step that suspended the run wants to go on; null to wait until woken. */
  private suspendedUntil: number | null = null;

  /** Read once: the store may hand back the very object it later updates. */
  private readonly activeBefore: number;
  private stepCount: number;
  private stored: boolean;
  private readonly writeAhead: boolean;

  constructor(
    private readonly compiled: CompiledFlow,
    private readonly context: FlowContextDocument,
    private readonly environment: RunEnvironment,
    persistence: {
      /** False for a run just started, not stored yet. */
      stored: boolean;
      /** False for a run its caller starts over if this process dies (StartOptions.restartable): stored only when it settles. */
      writeAhead: boolean;
    },
  ) {
    this.stored = persistence.stored;
    this.writeAhead = persistence.writeAhead;
    this.segmentStart = environment.now();
    this.activeBefore = context.active_ms;
    this.stepCount = context.step_count;
    this.inFlight = Object.values(context.steps).find((step) => step.status === 'running') ?? null;
  }

  /**
   * Runs until the machine settles; resolves with the context as persisted.
   * Each turn executes the node of the current state and sends the outcome
   * to the machine as a STEP event. A run with a position goes on from there:
   * its state is rebuilt in that node's waiting state and resumed, the same
   * way a durable wait ends. A failed write stops the run where it is, to be
   * resumed later.
   */
  async drive(): Promise<FlowContextDocument> {
    const machine = this.compiled.machine;
    const position = this.context.position;
    let actor: AnyActor;
    if (position === null) {
      actor = createActor(machine, { input: initialRunState(this.context.inputs) });
    } else {
      const restored = restoreRunState(this.context);
      this.persistedVars = restored.data.vars;
      this.persistedMemory = restored.memory;
      actor = createActor(machine, { snapshot: machine.resolveState({ value: waitingState(position), context: restored }) });
    }
    // One actor for the whole segment: it has no invoked children, so each send is processed at once.
    actor.start();
    try {
      if (position !== null) actor.send({ type: 'RESUME' });
      let snapshot = actor.getSnapshot();
      while (snapshot.status === 'active' && this.waitingNode(snapshot.value) === undefined) {
        const nodeId = String(snapshot.value).slice(NODE_PREFIX.length);
        const output = await this.executeStep(nodeId, snapshot.context as RunState);
        const step: FlowEvent = { type: 'STEP', output };
        actor.send(step);
        snapshot = actor.getSnapshot();
      }
      return await this.settle({ value: snapshot.value, context: snapshot.context as RunState });
    } finally {
      actor.stop();
    }
  }

  private waitingNode(value: unknown): string | undefined {
    return typeof value === 'string' && value.startsWith('waiting_') ? value.slice('waiting_'.length) : undefined;
  }

  private activeMs(): number {
    return this.activeBefore + (this.environment.now() - this.segmentStart);
  }

  private async executeStep(nodeId: string, state: RunState): Promise<StepEvent> {
    const node = this.compiled.nodes.get(nodeId) as SubflowNode;
    const execution = (state.executions[nodeId] ?? 0) + 1;
    const attempt = state.attempts[nodeId] ?? 1;
    const resumed = this.isResumed(nodeId, execution, attempt);
    const remaining = this.context.time_limit_ms - this.activeMs();
    const started = this.environment.now();
    const record: StepRecord = {
      node_id: nodeId,
      type: node.type,
      label: node.label,
      status: 'running',
      execution,
      attempt,
      input: null,
      output: null,
      error: null,
      error_code: null,
      port: null,
      next_attempt: null,
      started_at: started,
      finished_at: null,
      duration_ms: null,
    };
    const finish = (event: StepEvent): StepEvent => {
      const finishedAt = this.environment.now();
      if (event.kind === 'suspend') this.suspendedUntil = event.until;
      this.pendingSteps.set(nodeId, {
        ...record,
        status: event.kind === 'done' ? 'done' : event.kind === 'suspend' ? 'waiting' : 'failed',
        output: event.kind === 'done' ? event.output : null,
        error: event.kind === 'failed' ? event.message : null,
        error_code: event.kind === 'failed' ? event.code : null,
        next_attempt: event.kind === 'suspend' ? (event.attempt ?? null) : null,
        port: event.kind === 'done' ? event.port : event.kind === 'failed' ? 'error' : null,
        finished_at: finishedAt,
        duration_ms: finishedAt - started,
      });
      return event;
    };

    if (remaining <= 0) {
      return finish(failed(`the run went over its time limit of ${this.context.time_limit_ms} ms; raise the subflow's time limit or make it do less per run`, 'time_limit', true));
    }
    const implementation = this.environment.implementationOf(node.type);
    if (!implementation) return finish(failed(`node type ${node.type} has no implementation in this runtime`, 'not_implemented'));

    const resolved = await this.paramsFor(node, implementation, state);
    if (!resolved.ok) {
      record.input = resolved.input;
      return finish(resolved.failure);
    }
    const params = resolved.params;
    record.input = params;
    this.stepCount += 1;
    if (this.writeAhead && implementation.definition.sideEffects !== false) await this.persist(this.progressChange(record, state));

    const timeoutMs = Math.min(node.timeoutMs ?? implementation.definition.timeoutMs ?? DEFAULT_NODE_TIMEOUT_MS, remaining);
    const outcome = await this.attempt(implementation, params, {
      contextId: this.context._id,
      runAs: this.context.run_as,
      origin: this.context.origin,
      sync: this.context.sync ?? null,
      nodeId,
      attempt,
      idempotencyKey: `${this.context._id}/${nodeId}/${execution}/${attempt}`,
      resumed,
      data: state.data,
      memory: state.memory[nodeId],
      now: () => this.environment.now(),
      log: (level, message, details) => this.environment.log(level, message, { contextId: this.context._id, nodeId, ...details }),
    }, timeoutMs, timeoutMs === remaining);
    return finish(this.retryIfAllowed(node, attempt, outcome));
  }

  /** The node's params with their data pills resolved and checked against its definition. */
  private async paramsFor(
    node: SubflowNode,
    implementation: NodeImplementation,
    state: RunState,
  ): Promise<{ ok: true; params: unknown } | { ok: false; failure: StepEvent; input: unknown }> {
    // Its memory has what it read the first time; the params are shown as drawn.
    if (implementation.definition.paramsOnce && state.memory[node.id] !== undefined) return { ok: true, params: node.params };
    const dynamic = this.compiled.dynamicNodes.has(node.id);
    if (!dynamic && this.compiled.staticParams.has(node.id)) return { ok: true, params: this.compiled.staticParams.get(node.id) };
    let resolved: unknown = node.params;
    if (dynamic) {
      try {
        resolved = await resolvePills(node.params, state.data, this.environment.expressions);
      } catch (error) {
        if (error instanceof ExpressionError) return { ok: false, failure: failed(error.message, error.code), input: null };
        throw error;
      }
    }
    const parsed = implementation.definition.params.safeParse(resolved);
    if (parsed.success) {
      if (!dynamic) this.compiled.staticParams.set(node.id, parsed.data);
      return { ok: true, params: parsed.data };
    }
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'params'}: ${issue.message}`).join('; ');
    return { ok: false, failure: failed(`the params of "${node.label || node.id}" are not valid once resolved: ${issues}`, 'invalid_params'), input: resolved };
  }

  private isResumed(nodeId: string, execution: number, attempt: number): boolean {
    const inFlight = this.inFlight;
    this.inFlight = null;
    return inFlight !== null && inFlight.node_id === nodeId && inFlight.execution === execution && inFlight.attempt === attempt;
  }

  private async attempt(
    implementation: NodeImplementation,
    params: unknown,
    context: Omit<StepContext, 'signal'>,
    timeoutMs: number,
    limitedByBudget: boolean,
  ): Promise<StepEvent> {
    // Made only when the implementation asks for the signal: most steps never do, and it is not cheap.
    let controller: AbortController | undefined;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<StepEvent>((resolve) => {
      timer = setTimeout(() => {
        controller?.abort();
        resolve(
          limitedByBudget
            ? failed(`the run went over its time limit of ${this.context.time_limit_ms} ms during this step`, 'time_limit', true)
            : failed(`the step took longer than its timeout of ${timeoutMs} ms; raise the node's timeout or check what it waits on`, 'timeout'),
        );
      }, timeoutMs);
    });
    try {
      const stepContext: StepContext = {
        ...context,
        get signal() {
          controller ??= new AbortController();
          return controller.signal;
        },
      };
      const run = implementation.run(params, stepContext).then(
        (outcome) => this.toEvent(implementation, outcome),
        (error: unknown) => failed(error instanceof Error ? error.message : String(error), error instanceof StepError ? error.code : 'step'),
      );
      return await Promise.race([run, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  private toEvent(implementation: NodeImplementation, outcome: StepOutcome): StepEvent {
    if (outcome.kind === 'suspend') {
      const until = outcome.until === null ? null : Date.parse(outcome.until);
      return { kind: 'suspend', until, reason: outcome.reason, ...('memory' in outcome ? { memory: outcome.memory } : {}) };
    }
    const output = implementation.definition.outputs.safeParse(outcome.output);
    if (!output.success) {
      return failed(`node type ${implementation.definition.type} returned output that does not match its definition: ${output.error.message}`, 'internal');
    }
    return {
      kind: 'done',
      port: (outcome.port ?? null) as PortName | null,
      output: output.data,
      ...(outcome.variables ? { variables: outcome.variables } : {}),
      ...('memory' in outcome ? { memory: outcome.memory } : {}),
    };
  }

  /** A failed attempt with retries left waits in the database, doubling the delay each time. */
  private retryIfAllowed(node: SubflowNode, attempt: number, event: StepEvent): StepEvent {
    if (event.kind !== 'failed' || event.fatal || !node.retry || attempt >= node.retry.attempts) return event;
    const delay = node.retry.delayMs * 2 ** (attempt - 1);
    return { kind: 'suspend', until: this.environment.now() + delay, reason: `retry ${attempt + 1} of ${node.retry.attempts} after: ${event.message}`, attempt: attempt + 1 };
  }

  /** The write before a step: where the run is, what changed since the last write, and this step's start. */
  private progressChange(record: StepRecord, state: RunState): Record<string, unknown> {
    const change: Record<string, unknown> = {
      position: record.node_id,
      status: 'running' satisfies FlowContextStatus,
      resume_at: null,
      step_count: this.stepCount,
      active_ms: this.activeMs(),
      updated_at: this.environment.now(),
      ...this.stateChange(state),
      ...this.finishedSteps(),
      [`steps.${record.node_id}`]: record,
    };
    return change;
  }

  /** The finished steps' records not written yet, as a change; they count as written from here. */
  private finishedSteps(): Record<string, StepRecord> {
    const change = Object.fromEntries([...this.pendingSteps].map(([nodeId, step]) => [`steps.${nodeId}`, step]));
    this.pendingSteps.clear();
    return change;
  }

  /** Variables and node memories that changed since they were last written; the machine never mutates them in place. */
  private stateChange(state: RunState): Record<string, unknown> {
    const change: Record<string, unknown> = {};
    if (state.data.vars !== this.persistedVars) {
      change.vars = state.data.vars;
      this.persistedVars = state.data.vars;
    }
    if (state.memory !== this.persistedMemory) {
      for (const node of new Set([...Object.keys(state.memory), ...Object.keys(this.persistedMemory)])) {
        if (state.memory[node] !== this.persistedMemory[node]) change[`memory.${node}`] = state.memory[node] ?? null;
      }
      this.persistedMemory = state.memory;
    }
    return change;
  }

  private async persist(change: Record<string, unknown>): Promise<void> {
    try {
      await this.write(change);
    } catch (error) {
      throw new PersistenceFailure(`could not record the run's progress: ${(error as Error).message}`, { cause: error });
    }
  }

  /** Stores the change, and keeps the context in memory in step with it, which is what the run resolves with. */
  private async write(change: Record<string, unknown>): Promise<void> {
    applyContextChange(this.context, change);
    if (this.stored) await this.environment.store.update(this.context._id, change);
    else {
      await this.environment.store.insert(this.context);
      this.stored = true;
    }
  }

  /** The final write of this segment: completed, failed, or waiting to be resumed. */
  private async settle(snapshot: { value: unknown; context: RunState }): Promise<FlowContextDocument> {
    const state = snapshot.context;
    const waitingOn = this.waitingNode(snapshot.value);
    const now = this.environment.now();
    const change: Record<string, unknown> = { step_count: this.stepCount, active_ms: this.activeMs(), updated_at: now, lease_until: null, ...this.stateChange(state), ...this.finishedSteps() };
    if (waitingOn !== undefined) {
      Object.assign(change, { status: 'waiting', position: waitingOn, resume_at: this.suspendedUntil });
    } else if (snapshot.value === COMPLETED) {
      Object.assign(change, { status: 'completed', outputs: state.outputs, position: null, resume_at: null });
    } else if (snapshot.value === FAILED) {
      const failure = state.failure;
      Object.assign(change, {
        status: 'error',
        error: { message: failure?.message ?? 'the run failed', node_id: failure?.nodeId ?? null, code: failure?.code ?? 'internal' },
        position: null,
        resume_at: null,
      });
    }
    await this.write(change);
    if (this.context.status === 'completed' || this.context.status === 'error') this.environment.ended(this.context);
    if (this.context.status === 'waiting' && this.context.resume_at !== null) this.environment.waiting(this.context);
    return this.context;
  }
}
