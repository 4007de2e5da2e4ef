import type { Logger } from 'pino';
import { OfferedItems } from '../offered-items.js';
import { PassLoop } from '../pass-loop.js';
import type { InboundQueue, InboundQueueItem } from './inbound-queue.js';
import { runInboundItem, type InboundRunParts } from './processor-run.js';

export interface InboundProcessorParts extends InboundRunParts {
  queue: InboundQueue;
  logger: Logger;
}

/** How often a pass looks at what waits. */
const INTERVAL_MS = 50;
/** How often the queue itself is read for ready items no one announced (a restart, an admin's skip). */
const SCAN_INTERVAL_MS = 1_000;
/** Keys applied at once; within one key, items never run in parallel. */
const CONCURRENCY = 64;
/** Ready items read per scan: enough to find the head of many keys. */
const SCAN_LIMIT = 2_000;
/** Ready items held in memory at most; a backlog beyond it waits in the store for the scans. */
const OFFERED_LIMIT = 20_000;

/**
 * Applies received envelopes strictly in sequence per correlation key: only
 * the item right after the key's cursor is claimable, so a missing sequence
 * holds back those after it until it arrives (or an admin skips it).
 *
 * The inbound queue announces each envelope it takes, so a pass looks only
 * at the keys that moved; a scan of the queue every second finds the rest.
 */
export class InboundProcessor {
  private readonly running = new Map<string, Promise<void>>();
  private readonly offered = new OfferedItems<InboundQueueItem>(OFFERED_LIMIT);
  private readonly loop: PassLoop;
  private nextScan = 0;

  constructor(private readonly parts: InboundProcessorParts) {
    this.loop = new PassLoop(() => this.pass(), parts.logger, 'inbound processor pass failed', INTERVAL_MS);
    parts.queue.onReady((item) => {
      if (this.offered.offer(item)) this.loop.nudge();
    });
  }

  async start(): Promise<void> {
    const released = await this.parts.queue.releaseClaims();
    if (released > 0) this.parts.logger.info({ released }, 'inbound items left in processing by a stopped process are ready again');
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    await Promise.all(this.running.values());
  }

  private async pass(): Promise<boolean> {
    const now = Date.now();
    if (now >= this.nextScan) await this.scan(now);
    for (const key of this.offered.takeStirred()) {
      if (this.running.has(key)) continue;
      if (this.running.size >= CONCURRENCY) {
        // Its turn comes when a run finishes and stirs it again.
        this.offered.stir(key);
        continue;
      }
      this.running.set(key, this.applyNext(key));
    }
    return false;
  }

  private async scan(now: number): Promise<void> {
    this.nextScan = now + SCAN_INTERVAL_MS;
    const active = [...(await this.parts.config.activeRemoteSystems('inbound'))];
    if (active.length === 0) return;
    for (const item of await this.parts.queue.ready(active, SCAN_LIMIT)) this.offered.offer(item);
  }

  /** Applies the key's next item if it is here, then lets the key go on. */
  private async applyNext(key: string): Promise<void> {
    let moveOn = false;
    try {
      moveOn = await this.claimAndApply(key);
    } catch (error) {
      this.parts.logger.error({ err: error, key }, 'inbound item could not be recorded');
    } finally {
      this.running.delete(key);
      if (moveOn) this.offered.stir(key);
      this.loop.nudge();
    }
  }

  /** True when an item was applied, so the next one of the key may go. */
  private async claimAndApply(key: string): Promise<boolean> {
    const next = (await this.parts.queue.cursors.applied(key)) + 1;
    for (const stale of this.offered.itemsOf(key).filter((item) => item.sequence < next - 1)) this.offered.drop(stale);
    // An item the cursor already passed but still ready: its run finished and moved the cursor, then the
    // process stopped before recording it. Claiming it again reruns nothing (same context) and records it.
    const items = this.offered.itemsOf(key);
    const item = items.find((candidate) => candidate.sequence === next) ?? items.find((candidate) => candidate.sequence === next - 1);
    // A gap: the key waits, quietly, until the missing item is offered (or skipped and found by a scan).
    if (!item) return false;
    const active = await this.parts.config.activeRemoteSystems('inbound');
    // Held back while the remote system is not active, or has no inbound flow: nothing is lost, and the scans bring it back.
    if (!active.has(item.remote_system) || !(await this.parts.config.inboundFlowFor(item.process_event, item.remote_system))) return false;
    this.offered.drop(item);
    const claimed = await this.parts.queue.claim(item, Date.now());
    // Taken meanwhile (an admin's skip, say): the key goes on with whatever is next.
    if (!claimed) return true;
    await this.apply(claimed);
    return true;
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
    // start and claimed again (see claimAndApply); its deterministic context id returns the finished run
    // instead of applying the change twice. The other order could leave a processed item behind its cursor.
    await this.parts.queue.cursors.move(item.correlation_key, item.sequence - 1, item.sequence);
    await this.parts.queue.finish(item._id, { ...times, status: 'processed', error_info: null });
  }
}
