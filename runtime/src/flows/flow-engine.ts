import {
  byType,
  callSubflowImplementation,
  ExpressionEvaluator,
  flowLogicImplementations,
  FlowRunner,
  StepError,
  type ExpressionLimits,
  type NodeRegistry,
  type NodeType,
  type RunAs,
  type RunnableSubflow,
} from '@lockstep/flow';
import type { Logger } from 'pino';
import type { TableDictionary } from '../dictionary/dictionary.js';
import { scopeOf } from '../domains/domain-scope.js';
import { newId, ReadCache, type DocumentStore } from '@lockstep/store';
import type { RecordStore } from '../table/record-store.js';
import { recordImplementations } from './actions/records.js';
import { nodeRegistry } from './node-registry.js';
import { StoredFlowContexts } from './context-store.js';
import type { KeyedWorker } from '../queue/keyed-worker.js';
import type { DueRun } from './context-store.js';
import { runWaker } from './run-waker.js';
import { ContextSweeper, defaultRetention, type ContextRetention } from './context-retention.js';
import { graphOf, type StoredSubflowVersion } from './subflow-document.js';
import { VERSIONS_COLLECTION, type SubflowStore } from './subflow-store.js';

/** What the runtime's other parts bind, each one (sync, notify): every node but the flow logic and record nodes, which the engine binds itself. */
export type RuntimeActions = Omit<NodeRegistry, Extract<NodeType, `flow.${string}` | `record.${string}`>>;

export interface FlowEngineParts {
  store: DocumentStore;
  dictionary: TableDictionary;
  records: RecordStore;
  subflows: SubflowStore;
  logger: Logger;
  /** What one data pill expression may take: the instance's settings. */
  expressionLimits: ExpressionLimits;
  /** Implementations from other parts of the runtime (notify, sync). */
  actions: RuntimeActions;
  /** How long ended runs' contexts are kept. @default defaultRetention: 7 days, failed ones 30 */
  retention?: ContextRetention;
}

/** A published version with its subflow's domain, which decides the runs that may use it. */
export interface PublishedSubflow extends RunnableSubflow {
  domain: string;
}

function runnable(version: StoredSubflowVersion): PublishedSubflow {
  return { id: version.subflow_id, version: version.version, graph: graphOf(version), domain: version.sys_domain };
}

/** The runtime's flow engine: the runner with every implementation bound, its contexts, and the waker. */
export class FlowEngine {
  readonly contexts: StoredFlowContexts;
  readonly runner: FlowRunner;
  private readonly waker: KeyedWorker<DueRun>;
  private readonly sweeper: ContextSweeper;
  private readonly expressions: ExpressionEvaluator;
  /** Each sync item runs its flow's latest version: read, and its graph parsed, once until a version is published. */
  private readonly published: ReadCache;

  constructor(private readonly parts: FlowEngineParts) {
    this.contexts = new StoredFlowContexts(parts.store);
    const stepLogger = parts.logger.child({ component: 'flow' });
    this.expressions = new ExpressionEvaluator(parts.expressionLimits);
    this.runner = new FlowRunner({
      implementations: nodeRegistry({
        ...byType(
          ...flowLogicImplementations,
          // Children run on this same runner, which exists by the time a step calls this.
          callSubflowImplementation((...args) => this.runner.start(...args), (id, runAs) => this.callable(id, runAs)),
          ...recordImplementations(parts.dictionary, parts.records),
        ),
        ...parts.actions,
      } satisfies NodeRegistry),
      store: this.contexts,
      loadVersion: async (id, version) => {
        const stored = await parts.subflows.version(id, version);
        return stored ? runnable(stored) : null;
      },
      newId,
      log: (level, message, details) => stepLogger[level](details ?? {}, message),
      expressions: this.expressions,
    });
    this.waker = runWaker(this.contexts, this.runner, parts.logger);
    this.runner.onWaiting(({ resume_at }) => {
      if (resume_at !== null) this.waker.wakeBy(resume_at);
    });
    this.sweeper = new ContextSweeper(this.contexts, parts.retention ?? defaultRetention, parts.logger);
    this.published = new ReadCache(parts.store, 1000);
  }

  /** Shared: do not change it. */
  latestPublished(id: string): Promise<PublishedSubflow | null> {
    return this.published.read(id, [VERSIONS_COLLECTION], async () => {
      const stored = await this.parts.subflows.latestPublished(id);
      return stored ? runnable(stored) : null;
    });
  }

  /**
   * What a Call subflow step of a run may call: a subflow of the run's domain
   * or a parent's, as a configuration record may reference. One in a domain
   * the run does not reach at all is answered as missing, so its existence
   * does not leak.
   */
  private async callable(id: string, runAs: RunAs): Promise<PublishedSubflow | null> {
    const subflow = await this.latestPublished(id);
    if (!subflow) return null;
    const scope = scopeOf(runAs);
    if (scope.uses(subflow.domain)) return subflow;
    if (!scope.reaches(subflow.domain)) return null;
    throw new StepError(
      `subflow "${subflow.graph.name}" (${id}) is in domain ${subflow.domain}, below ${runAs.domain}, where this run works; a run calls subflows of its own domain or a parent's only: copy it into ${runAs.domain}`,
      'outside_domain',
    );
  }

  async start(): Promise<void> {
    await this.contexts.prepare();
    await this.waker.start(this.parts.store.kind === 'embedded');
    this.sweeper.start(this.parts.store, 'flow_contexts');
  }

  async stop(): Promise<void> {
    await Promise.all([this.waker.stop(), this.sweeper.stop()]);
    // After the waker, which waits for the runs it started: their expressions are done by then.
    await this.expressions.close();
  }
}
