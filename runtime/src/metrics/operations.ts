import { Router, type RequestHandler } from 'express';
import type { DocumentStore } from '@lockstep/store';
import type { Logger } from 'pino';
import type { FlowEngine } from '../flows/flow-engine.js';
import type { SyncConfigStore } from '../sync/config/sync-config-store.js';
import type { LinkTransitions } from '../sync/link/link-transitions.js';
import type { ObservedQueue } from '../sync/queue-items.js';
import { QueueCleaner, type QueueRetention } from '../sync/retention/queue-cleaner.js';
import { metricsRoute, type MetricsAccess } from './metrics-route.js';
import { QueueTrace } from './queue-trace.js';
import { RuntimeMetrics, type QueueSide } from './runtime-metrics.js';

export interface OperationsParts {
  logger: Logger;
  /** Where the cleaner keeps when it last swept. */
  store: DocumentStore;
  syncConfig: SyncConfigStore;
  linkHistory: LinkTransitions;
  queues: Record<QueueSide, ObservedQueue>;
  flows: Pick<FlowEngine, 'runner' | 'contexts'>;
  settings: { metrics: MetricsAccess; syncDebug: boolean; retention: QueueRetention };
}

/**
 * What operators run an instance with: the metrics, the debug switch's
 * trace of the queues, and the cleaner that keeps the queues to their
 * retention. Both queues tell it of every move their items make.
 */
export class Operations {
  readonly metrics: RuntimeMetrics;
  readonly trace: QueueTrace;
  readonly metricsAccess: MetricsAccess;
  private readonly cleaner: QueueCleaner;
  private readonly store: DocumentStore;

  constructor({ logger, store, syncConfig, linkHistory, queues, flows, settings }: OperationsParts) {
    this.store = store;
    this.metrics = new RuntimeMetrics({ queues, config: syncConfig, history: linkHistory });
    this.trace = new QueueTrace(logger, syncConfig, settings.syncDebug);
    this.metricsAccess = settings.metrics;
    for (const side of ['outbound', 'inbound'] as const) {
      queues[side].onMove(this.metrics.queueListener(side));
      queues[side].onMove(this.trace.queueListener(side));
    }
    flows.runner.onEnded(this.metrics.flowRunEnded);
    this.cleaner = new QueueCleaner(Object.values(queues), flows.contexts, settings.retention, logger.child({ component: 'queue-cleaner' }));
  }

  start(): void {
    this.cleaner.start(this.store, 'queue_items');
  }

  stop(): Promise<void> {
    return this.cleaner.stop();
  }
}

/** `/metrics`, outside the API (Prometheus text, read by scrapers, not API clients): see metricsRoute for who may read it. */
export function metricsRoutes(operations: Pick<Operations, 'metrics' | 'metricsAccess'>, authenticated: RequestHandler): Router {
  const router = Router();
  router.get('/metrics', metricsRoute(operations.metrics, operations.metricsAccess, authenticated));
  return router;
}

