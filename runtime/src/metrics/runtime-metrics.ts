import type { FlowContextDocument } from '@lockstep/flow';
import { queueStatuses, remoteSystemStates } from '@lockstep/schema';
import { registerLinkMetrics } from './link-metrics.js';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { SyncConfigStore } from '../sync/config/sync-config-store.js';
import type { LinkTransitions } from '../sync/link/link-transitions.js';
import type { ObservedQueue } from '../sync/queue-items.js';
import type { QueueMoveListener } from '../sync/queue-move.js';

export type QueueSide = 'outbound' | 'inbound';

/** Seconds, from a few milliseconds (a change applied at once) to minutes (a backlog after an outage). */
const QUEUE_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];
const FLOW_SECONDS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export interface MetricSources {
  queues: Record<QueueSide, ObservedQueue>;
  config: Pick<SyncConfigStore, 'remoteSystems'>;
  history: Pick<LinkTransitions, 'all'>;
}

/**
 * What `/metrics` shows, in Prometheus's text format. Counters and
 * histograms are kept in memory as queue items move and runs end (no store
 * operation on the way of a change); queue depths and link states are read
 * from the store when Prometheus scrapes, a count per queue, state and
 * remote system, and one read of the remote systems.
 */
/**
 * How often the event loop's delay is sampled for nodejs_eventloop_lag_*:
 * each sample is a timer that wakes the process. prom-client's 10 ms woke an
 * idle runtime 100 times a second, which cost it about half its idle CPU
 * (on FerretDB, an idle instance near 2% of a core); a stall worth seeing
 * on a dashboard is longer than 100 ms anyway.
 */
const EVENT_LOOP_SAMPLE_MS = 100;

export class RuntimeMetrics {
  readonly registry = new Registry();
  private readonly moves: Counter<'queue' | 'remote_system' | 'step'>;
  private readonly processing: Histogram<'queue' | 'remote_system' | 'outcome'>;
  private readonly waiting: Histogram<'queue' | 'remote_system'>;
  private readonly flowRuns: Histogram<'subflow' | 'status'>;

  constructor(private readonly sources: MetricSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
    this.moves = new Counter({
      name: 'lockstep_queue_steps_total',
      help: 'Queue item steps since the process started: processed (sent or applied), failed (error), retried (a failed attempt sent back to ready), skipped, requeued (by an admin), queued, claimed',
      labelNames: ['queue', 'remote_system', 'step'],
      registers,
    });
    const histogram = <L extends string>(name: string, help: string, labelNames: L[], buckets: number[]) => new Histogram<L>({ name, help, labelNames, buckets, registers });
    this.processing = histogram('lockstep_queue_processing_seconds', "Time an item's attempt took, from its claim to its outcome (processed, failed or retried)", ['queue', 'remote_system', 'outcome'], QUEUE_SECONDS);
    this.waiting = histogram('lockstep_queue_wait_seconds', 'Time an item waited in its queue before a worker claimed it', ['queue', 'remote_system'], QUEUE_SECONDS);
    this.flowRuns = histogram('lockstep_flow_run_seconds', 'Active time of each flow run that ended, by subflow and how it ended (completed or error)', ['subflow', 'status'], FLOW_SECONDS);
    // Read when scraped: `collect` runs before each scrape is answered.
    const depths: Gauge<'queue' | 'status' | 'remote_system'> = new Gauge({
      name: 'lockstep_queue_items',
      help: 'Items in each queue, by state and remote system, when scraped',
      labelNames: ['queue', 'status', 'remote_system'],
      registers,
      collect: () => this.collectDepths(depths),
    });
    const states: Gauge<'remote_system' | 'name' | 'direction' | 'state'> = new Gauge({
      name: 'lockstep_remote_system_state',
      help: "Each remote system's inbound and outbound state: 1 for the state it is in, 0 for the others",
      labelNames: ['remote_system', 'name', 'direction', 'state'],
      registers,
      collect: () => this.collectStates(states),
    });
    registerLinkMetrics(this.registry, sources);
  }

  /** A move listener of one queue's items. */
  queueListener(queue: QueueSide): QueueMoveListener {
    return ({ step, item }) => {
      const remote_system = item.remote_system;
      this.moves.inc({ queue, remote_system, step });
      if (step === 'claimed' && item.started_at !== null) this.waiting.observe({ queue, remote_system }, Math.max(0, item.started_at - item.created_at) / 1000);
      if ((step === 'processed' || step === 'failed' || step === 'retried') && item.started_at !== null) {
        const ms = item.processing_ms ?? (item.finished_at ?? Date.now()) - item.started_at;
        this.processing.observe({ queue, remote_system, outcome: step }, Math.max(0, ms) / 1000);
      }
    };
  }

  /** A flow runner's ended listener. */
  readonly flowRunEnded = (context: FlowContextDocument): void => {
    this.flowRuns.observe({ subflow: context.subflow_name, status: context.status }, context.active_ms / 1000);
  };

  private async collectDepths(gauge: Gauge<'queue' | 'status' | 'remote_system'>): Promise<void> {
    const remotes = await this.sources.config.remoteSystems.find({});
    gauge.reset();
    const counts = Object.entries(this.sources.queues).flatMap(([queue, items]) =>
      remotes.flatMap((remote) => queueStatuses.map(async (status) => gauge.set({ queue, status, remote_system: remote._id }, await items.depth(status, remote._id)))),
    );
    await Promise.all(counts);
  }

  private async collectStates(gauge: Gauge<'remote_system' | 'name' | 'direction' | 'state'>): Promise<void> {
    const remotes = await this.sources.config.remoteSystems.find({});
    gauge.reset();
    for (const remote of remotes) {
      for (const direction of ['inbound', 'outbound'] as const) {
        const current = direction === 'inbound' ? remote.inbound_state : remote.outbound_state;
        for (const state of remoteSystemStates) gauge.set({ remote_system: remote._id, name: remote.name, direction, state }, state === current ? 1 : 0);
      }
    }
  }
}
