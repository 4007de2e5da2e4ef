import type { Logger } from 'pino';
import type { InboundQueue, InboundQueueItem } from './inbound-queue.js';
import { runInboundItem, type InboundRunParts } from './processor-run.js';

export interface InboundProcessorParts extends InboundRunParts {
  queue: InboundQueue;
  logger: Logger;
}

const INTERVAL_MS = 50;
/** Keys applied at once; within one key, items never run in parallel. */
const CONCURRENCY = 8;
/** Ready items read per pass: enough to find the head of many keys. */
const SCAN_LIMIT = 500;

/**
 * Applies received envelopes strictly in sequence per correlation key: only
 * the item right after the key's cursor is claimable, so a missing sequence
 * holds back those after it until it arrives (or an admin skips it).
 */
export class InboundProcessor {
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<void> | undefined;
  private readonly running = new Map<string, Promise<void>>();

  constructor(private readonly parts: InboundProcessorParts) {}

  async start(): Promise<void> {
    const released = await this.parts.queue.releaseClaims();
    if (released > 0) this.parts.logger.info({ released }, 'inbound items left in processing by a stopped process are ready again');
    this.timer = setInterval(() => {
      this.pass ??= this.claimAndRun().catch((error: unknown) => this.parts.logger.error({ err: error }, 'inbound processor pass failed')).finally(() => {
        this.pass = undefined;
      });
    }, INTERVAL_MS);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.pass;
    await Promise.all(this.running.values());
  }

  private async claimAndRun(): Promise<void> {
    if (this.running.size >= CONCURRENCY) return;
    const active = (await this.parts.config.remoteSystems.find({ inbound_state: 'active' })).map((remote) => remote._id);
    if (active.length === 0) return;
    const heads = new Map<string, InboundQueueItem[]>();
    for (const item of await this.parts.queue.ready(active, SCAN_LIMIT)) {
      if (!this.running.has(item.correlation_key)) heads.set(item.correlation_key, [...(heads.get(item.correlation_key) ?? []), item]);
    }
    const hasFlow = new Map<string, Promise<boolean>>();
    for (const [key, items] of heads) {
      if (this.running.size >= CONCURRENCY) return;
      const next = (await this.parts.queue.cursors.applied(key)) + 1;
      // An item the cursor already passed but still ready: its run finished and moved the cursor, then the
      // process stopped before recording it. Claiming it again reruns nothing (same context) and records it.
      const item = items.find((candidate) => candidate.sequence === next) ?? items.find((candidate) => candidate.sequence === next - 1);
      if (!item) continue;
      // Without an inbound flow the item waits ready, and goes once one is created: nothing is lost meanwhile.
      const link = `${item.process_event}:${item.remote_system}`;
      if (!hasFlow.has(link)) hasFlow.set(link, this.parts.config.inboundFlowFor(item.process_event, item.remote_system).then((flow) => flow !== null));
      if (!(await hasFlow.get(link))) continue;
      const claimed = await this.parts.queue.claim(item, Date.now());
      if (!claimed) continue;
      // A store failure leaves the item in processing; the next start releases it.
      const run = this.apply(claimed)
        .catch((error: unknown) => this.parts.logger.error({ err: error, item: claimed._id }, 'inbound item could not be recorded'))
        .finally(() => this.running.delete(key));
      this.running.set(key, run);
    }
  }

  private async apply(item: InboundQueueItem): Promise<void> {
    const started = item.started_at ?? Date.now();
    const outcome = await runInboundItem(item, this.parts);
    const finished = Date.now();
    const times = { finished_at: finished, processing_ms: finished - started, transform_context: outcome.contextId };
    if (!outcome.ok) {
      // The key waits behind it until an admin retries or skips it.
      await this.parts.queue.finish(item._id, { ...times, status: 'error', error_info: outcome.error });
      this.parts.logger.warn({ item: item._id, key: item.correlation_key, sequence: item.sequence, error: outcome.error }, 'inbound item failed');
      return;
    }
    // Cursor first: a crash between the two leaves the item in processing, released to ready at the next
    // start and claimed again (see claimAndRun); its deterministic context id returns the finished run
    // instead of applying the change twice. The other order could leave a processed item behind its cursor.
    await this.parts.queue.cursors.move(item.correlation_key, item.sequence - 1, item.sequence);
    await this.parts.queue.finish(item._id, { ...times, status: 'processed', error_info: null });
  }
}
