import type { FlowContextDocument, FlowContextStatus, FlowContextStore, StepRecord } from '@lockstep/flow';
import type { DomainScope } from '../domains/domain-scope.js';
import type { Collection, DocumentStore, Filter, StoredDocument } from '@lockstep/store';
import { decodeStep, encodeStep, type StoredStep } from './stored-step.js';

/*
 * Flow contexts hold data from anywhere (payloads, records, expressions), whose
 * keys may contain `.` or start with `$`, which MongoDB, FerretDB v1 and NeDB
 * refuse as field names. So that data is kept as JSON text, and only the
 * fields Lockstep queries on stay plain.
 */

interface StoredContext extends StoredDocument {
  subflow_id: string;
  subflow_version: number | 'draft';
  status: FlowContextStatus;
  resume_at: number | null;
  lease_until: number | null;
  created_at: number;
  steps: Record<string, StoredStep>;
  memory: Record<string, string>;
  inputs_json: string;
  outputs_json: string;
  vars_json: string;
  graph_json: string | null;
  [field: string]: unknown;
}

const encode = (value: unknown): string => JSON.stringify(value ?? null);
const decode = (text: unknown): unknown => (typeof text === 'string' ? JSON.parse(text) : null);

const hasEnded = (status: unknown): boolean => status === 'completed' || status === 'error';

const jsonFields = { inputs: 'inputs_json', outputs: 'outputs_json', vars: 'vars_json', graph: 'graph_json' } as const;

function encodeChange(set: Record<string, unknown>): Record<string, unknown> {
  const stored: Record<string, unknown> = {};
  const ended = hasEnded(set.status);
  for (const [path, value] of Object.entries(set)) {
    if (path.startsWith('steps.')) stored[path] = encodeStep(value as StepRecord, ended);
    else if (path.startsWith('memory.')) stored[path] = encode(value);
    else if (path in jsonFields) stored[jsonFields[path as keyof typeof jsonFields]] = path === 'graph' && value === null ? null : encode(value);
    else stored[path] = value;
  }
  return stored;
}

function decodeContext({ _id, steps, memory, inputs_json, outputs_json, vars_json, graph_json, ...rest }: StoredContext): FlowContextDocument {
  return {
    ...(rest as unknown as Omit<FlowContextDocument, '_id' | 'steps' | 'memory' | 'inputs' | 'outputs' | 'vars' | 'graph'>),
    _id,
    steps: Object.fromEntries(Object.entries(steps ?? {}).map(([node, step]) => [node, decodeStep(node, step)])),
    // A forgotten memory is written as JSON null.
    memory: Object.fromEntries(Object.entries(memory ?? {}).map(([node, text]) => [node, decode(text)]).filter(([, value]) => value !== null)),
    inputs: decode(inputs_json) as Record<string, unknown>,
    outputs: decode(outputs_json) as Record<string, unknown>,
    vars: decode(vars_json) as Record<string, unknown>,
    graph: graph_json === null ? null : (decode(graph_json) as FlowContextDocument['graph']),
  };
}

export interface ContextListFilter {
  subflowId?: string;
  status?: FlowContextStatus;
  testRun?: boolean;
}

/** Flow contexts in the document store: the runner's persistence, the waker's queue and the admins' list. */
export class StoredFlowContexts implements FlowContextStore {
  private readonly contexts: Collection<StoredContext>;

  constructor(store: DocumentStore) {
    this.contexts = store.collection<StoredContext>('sys_flow_context');
  }

  async prepare(): Promise<void> {
    await this.contexts.createIndex({ fields: ['subflow_id', 'created_at'] });
    // The waker's look-ups go by status (without it, the embedded store would read every run ever made), waiting
    // runs by when they resume and running ones by when their lease ends, soonest first.
    await this.contexts.createIndex({ fields: ['status', 'resume_at'], ordered: true });
    await this.contexts.createIndex({ fields: ['status', 'lease_until'], ordered: true });
  }

  async insert(context: FlowContextDocument): Promise<void> {
    const { _id, steps, memory, inputs, outputs, vars, graph, ...rest } = context;
    await this.contexts.insertOne({
      ...rest,
      _id,
      steps: Object.fromEntries(Object.entries(steps).map(([node, step]) => [node, encodeStep(step, hasEnded(rest.status))])),
      memory: Object.fromEntries(Object.entries(memory).map(([node, value]) => [node, encode(value)])),
      inputs_json: encode(inputs),
      outputs_json: encode(outputs),
      vars_json: encode(vars),
      graph_json: graph === null ? null : encode(graph),
    });
  }

  async update(id: string, set: Record<string, unknown>): Promise<void> {
    await this.contexts.updateOne({ _id: id }, { $set: encodeChange(set) });
  }

  async get(id: string): Promise<FlowContextDocument | null> {
    const stored = await this.contexts.findOne({ _id: id });
    return stored ? decodeContext(stored) : null;
  }

  /** Newest first, of the runs in domains `scope` sees. */
  async list(filter: ContextListFilter, scope: DomainScope, limit: number, offset: number): Promise<{ contexts: FlowContextDocument[]; total: number }> {
    const wanted: Filter = {};
    if (filter.subflowId !== undefined) wanted.subflow_id = filter.subflowId;
    if (filter.status !== undefined) wanted.status = filter.status;
    if (filter.testRun !== undefined) wanted.test_run = filter.testRun;
    const query = scope.visible(wanted);
    const [page, total] = await Promise.all([
      this.contexts.find(query, { sort: { created_at: -1, _id: 1 }, limit, skip: offset }),
      this.contexts.countDocuments(query),
    ]);
    return { contexts: page.map(decodeContext), total };
  }

  /**
   * Runs that are due, first due first: a wait or retry whose time has come,
   * or a run whose process stopped holding it (its lease ran out); and when
   * the next wait the look-up saw comes due. Each run is its own key for the
   * waker, as runs do not wait for one another. One read per status, each
   * walking its index in the order it sorts by, where an `$or` of the two
   * would read every run.
   */
  async due(now: number, limit: number): Promise<{ runs: DueRun[]; dueAt?: number }> {
    const [waiting, lapsed] = await Promise.all([
      this.contexts.find({ status: 'waiting', resume_at: { $ne: null } }, { sort: { resume_at: 1 }, limit, projection: { resume_at: 1 } }),
      this.contexts.find({ status: 'running', lease_until: { $lt: now } }, { sort: { lease_until: 1 }, limit, projection: { _id: 1 } }),
    ]);
    const resumeAt = (run: StoredContext) => run.resume_at ?? 0;
    const runs = [...waiting.filter((run) => resumeAt(run) <= now), ...lapsed].map(({ _id }) => ({ _id, correlation_key: _id, sequence: 0 }));
    const next = waiting.find((run) => resumeAt(run) > now);
    return next === undefined ? { runs } : { runs, dueAt: resumeAt(next) };
  }

  /** Takes a run that is still due, until `leaseUntil`, so two processes never resume the same run; false when it is not due any more. */
  async claim(id: string, now: number, leaseUntil: number): Promise<boolean> {
    return (await this.contexts.findOneAndUpdate({ $or: dueFilters(now), _id: id }, { $set: { lease_until: leaseUntil, status: 'running' } })) !== null;
  }

  /** Extends the claim of a run still being resumed. */
  async renewClaim(id: string, leaseUntil: number): Promise<void> {
    await this.contexts.updateOne({ status: 'running', _id: id }, { $set: { lease_until: leaseUntil } });
  }

  /** Deletes the contexts of runs that ended (`status`) before `before` (epoch ms); how many. */
  deleteEndedBefore(status: 'completed' | 'error', before: number): Promise<number> {
    return this.contexts.deleteMany({ status, updated_at: { $lt: before } });
  }

  /** Deletes these contexts, of runs that ended only (a queue item's, with the item); how many. */
  deleteEnded(ids: string[]): Promise<number> {
    return this.contexts.deleteMany({ _id: { $in: ids }, status: { $in: ['completed', 'error'] } });
  }

  /** Runs held by a lease that ended before `now` are due at once; at the start of a process that owns its store alone, that is every run left running. */
  async releaseExpired(now: number): Promise<number> {
    const { modifiedCount } = await this.contexts.updateMany({ status: 'running', lease_until: { $gt: 0, $lt: now } }, { $set: { lease_until: 0 } });
    return modifiedCount;
  }
}

/** A run the waker may resume: a keyed item whose key is the run itself. */
export interface DueRun {
  _id: string;
  correlation_key: string;
  sequence: number;
}

function dueFilters(now: number): Filter[] {
  return [
    { status: 'waiting', resume_at: { $lte: now } },
    { status: 'running', lease_until: { $lt: now } },
  ];
}
