import type { Admission } from '../../queue/keyed-work.js';
import { SequenceCounters } from '../capture/sequences.js';
import { DuplicateKeyError, type DocumentStore } from '@lockstep/store';
import { queueListStoreFilter, type QueueListFilter } from '../queue-list-filter.js';
import { QueueItems } from '../queue-items.js';
import type { QueueItem, QueueStatus } from '../queue-item.js';
import { SentInOrder } from './sent-in-order.js';

export interface OutboundRetry {
  attempts: number;
  /** Epoch ms; null while no retry is scheduled. */
  next_attempt_at: number | null;
  last_error: string | null;
}

/**
 * One captured change on its way to one remote system. Times are epoch
 * milliseconds. The dispatcher claims items per correlation key, strictly in
 * sequence order.
 */
export interface OutboundQueueItem extends QueueItem {
  /** Derived from the capture intent and the remote system (outboundItemId), so moving an intent twice queues it once. */
  _id: string;
  capture_definition: string;
  /** `${table}:${sys_id}:${remote_system}`: one record's changes to one remote system. */
  correlation_key: string;
  /** 1, 2, 3… per correlation key with no gap: the receiver waits for a missing number. */
  sequence: number;
  record: { table: string; sys_id: string; mod_count: number };
  /** The capture intent this item was made from; the payload is its captured object, the domain the source record's. */
  origin_intent: string;
  /** When the change was written (epoch ms), so the time it spent in the record's outbox is `created_at - captured_at`. */
  captured_at: number;
  retry: OutboundRetry;
  /** The outbound subflow's flow context, once one ran. */
  flow_context: string | null;
  /** Until when the dispatcher that claimed it holds it; null while unclaimed. */
  lease_until: number | null;
}

/** What the relay decides about an item; the rest starts as a ready item. */
export type NewOutboundItem = Pick<
  OutboundQueueItem,
  '_id' | 'process_event' | 'remote_system' | 'capture_definition' | 'correlation_key' | 'sequence' | 'operation' | 'record' | 'payload_json' | 'origin_intent' | 'captured_at' | 'sys_domain'
>;

/** A new item, ready to go. */
function readyItem(fields: NewOutboundItem, now: number): OutboundQueueItem {
  return {
    ...fields,
    status: 'ready',
    created_at: now,
    started_at: null,
    finished_at: null,
    time_in_queue_ms: null,
    processing_ms: null,
    error_info: null,
    retry: { attempts: 0, next_attempt_at: null, last_error: null },
    flow_context: null,
    lease_until: null,
  };
}

export function correlationKey(table: string, sysId: string, remoteSystem: string): string {
  return `${table}:${sysId}:${remoteSystem}`;
}

export function outboundItemId(intentId: string, remoteSystem: string): string {
  return `${intentId}:${remoteSystem}`;
}

const OUTBOUND_QUEUE_COLLECTION = 'sync_outbound_queue';

/** The outbound queue (OutboundQueueDao in the original's logs). */
export class OutboundQueue extends QueueItems<OutboundQueueItem> {
  /** The keys' sequence counters: the relay's, and an admin's redelivery's, which numbers a change again as the relay numbers a new one; one per process, so both remember the same last numbers. */
  readonly sequences: SequenceCounters;
  /** What this process sent last of each key: the order check of the item after it reads nothing. */
  private readonly sentInOrder: SentInOrder;

  constructor(store: DocumentStore) {
    super(store, OUTBOUND_QUEUE_COLLECTION);
    this.sequences = new SequenceCounters(store);
    this.sentInOrder = new SentInOrder(store);
  }

  /** As every queue's, and the removed items' sequence numbers with them, but each key's first and last. */
  override async remove(items: readonly OutboundQueueItem[], status: QueueStatus): Promise<number> {
    const removed = await super.remove(items, status);
    await this.sequences.forget(items);
    return removed;
  }

  async prepare(): Promise<void> {
    await this.sequences.prepare();
    // One number per change of a record to a remote system: a second item with it would be a bug, refused here.
    // It also serves the reads by key (the order check): an index of the key alone beside it would only be
    // one more for every write of an item to keep up.
    await this.items.createIndex({ fields: ['correlation_key', 'sequence'], unique: true });
    // The scans select by status, and take the oldest ready items first.
    await this.items.createIndex({ fields: ['status', 'created_at'], ordered: true });
  }

  /** Inserted false when this item was queued before (the relay moved its intent already). */
  async insert(fields: NewOutboundItem, now: number = Date.now()): Promise<{ inserted: boolean; item: OutboundQueueItem }> {
    try {
      const item = await this.items.insertOne(readyItem(fields, now));
      this.queued(item);
      return { inserted: true, item };
    } catch (error) {
      if (!(error instanceof DuplicateKeyError)) throw error;
      // Only a clash on `_id` means "already queued"; one on the sequence alone must not pass silently.
      const existing = await this.get(fields._id);
      if (!existing) throw error;
      return { inserted: false, item: existing };
    }
  }

  /**
   * Queues the items of a relay pass in one write. When some were queued
   * before (by a relay that stopped after queueing them, or by another
   * process's relay moving the same outbox at once), the write stops at the
   * first; reads by `_id`, all at once, find them, and the others go again
   * in one write. (One read by `_id: $in` read the whole queue on FerretDB
   * v1, which pushes no `$in` down: 4.5 s at 2,800 items in the 5,000-change
   * run with kills, and more as the queue grew.)
   * Item by item, under several processes relaying the same outboxes, a
   * round of a few hundred records took longer than a process lived between
   * kills, so no pass got as far as clearing its outboxes, and each next one
   * had more to move again. A clash on a sequence alone, which no read by id
   * explains, goes item by item, as `insert` tells the cases apart.
   */
  async insertAll(fields: NewOutboundItem[], now: number = Date.now()): Promise<void> {
    // The first item of each key the dispatcher takes at once is stored claimed for it.
    const first = await Promise.all(fields.map((one) => this.admitted(readyItem(one, now))));
    const admissions = new Map(first.flatMap(({ doc, admission }) => (admission ? [[doc._id, admission] as const] : [])));
    let waiting = fields;
    let docs = first.map(({ doc }) => doc);
    try {
      while (waiting.length > 0) {
        try {
          for (const item of await this.items.insertMany(docs)) this.stored(item, this.admission(admissions, item));
          return;
        } catch (error) {
          if (!(error instanceof DuplicateKeyError)) throw error;
        }
        const before = (await Promise.all(waiting.map((one) => this.get(one._id)))).filter((item) => item !== null);
        if (before.length === 0) break;
        for (const item of before) {
          const admission = this.admission(admissions, item);
          // One this write stored claimed is worked; those queued before are announced all the same, as a worker may not have heard of them.
          if (admission && item.lease_until === admission.leaseUntil) this.stored(item, admission);
          else {
            admission?.cancel();
            this.announce(item);
          }
        }
        const queuedBefore = new Set(before.map((item) => item._id));
        waiting = waiting.filter((one) => !queuedBefore.has(one._id));
        docs = waiting.map((one) => readyItem(one, now));
        this.letGo(admissions);
      }
    } finally {
      this.letGo(admissions);
    }
    for (const one of waiting) {
      const { inserted, item } = await this.insert(one, now);
      if (!inserted) this.announce(item);
    }
  }

  /** The admission of this item, taken from those still to be run or let go. */
  private admission(admissions: Map<string, Admission<OutboundQueueItem>>, item: OutboundQueueItem): Admission<OutboundQueueItem> | undefined {
    const admission = admissions.get(item._id);
    admissions.delete(item._id);
    return admission;
  }

  /** Items that go in ready after all: their admissions let their keys go. */
  private letGo(admissions: Map<string, Admission<OutboundQueueItem>>): void {
    for (const admission of admissions.values()) admission.cancel();
    admissions.clear();
  }

  async exists(id: string): Promise<boolean> {
    return (await this.items.findOne({ _id: id }, { projection: { _id: 1 } })) !== null;
  }

  /**
   * Ready items, oldest first: to remote systems in `remoteSystems`, of keys
   * not in `blockedKeys`. The caller holds back those whose retry is not
   * due: an `$or` on the retry time would keep the store from walking its
   * index on status and creation time, and stopping at `limit`.
   */
  ready(limit: number, remoteSystems: string[], blockedKeys: string[]): Promise<OutboundQueueItem[]> {
    return this.items.find(
      { status: 'ready', remote_system: { $in: remoteSystems }, correlation_key: { $nin: blockedKeys } },
      { sort: { created_at: 1 }, limit },
    );
  }

  /**
   * Keys whose items may not go now, as one of theirs is being sent or is
   * in error: few at any time, and excluding them keeps a long backlog
   * behind one of them from filling every scan. Two reads by status, as
   * FerretDB v1 pushes no `$in` down to its backend.
   */
  async heldKeys(): Promise<string[]> {
    const keysOnly = { projection: { correlation_key: 1 } } as const;
    const [sending, failed] = await Promise.all([this.items.find({ status: 'processing' }, keysOnly), this.items.find({ status: 'error' }, keysOnly)]);
    return [...new Set([...sending, ...failed].map((item) => item.correlation_key))];
  }

  /** True when an earlier item of the same key is still to be sent (or stuck in error): strict FIFO per key. */
  async hasEarlierPending(item: Pick<OutboundQueueItem, 'correlation_key' | 'sequence'>): Promise<boolean> {
    if (this.sentInOrder.follows(item)) return false;
    const earlier = await this.items.findOne(
      { correlation_key: item.correlation_key, sequence: { $lt: item.sequence }, status: { $in: ['ready', 'processing', 'error'] } },
      { projection: { _id: 1 } },
    );
    return earlier !== null;
  }

  /** The item with the highest sequence of a key. */
  lastOfKey(correlationKey: string): Promise<OutboundQueueItem | null> {
    return this.items.findOne({ correlation_key: correlationKey }, { sort: { sequence: -1 } });
  }


  /** Moves an item from `from` to a new state with `fields`; null when it was not in `from` (someone else moved it). */
  async transition(id: string, from: QueueStatus | QueueStatus[], fields: Record<string, unknown>): Promise<OutboundQueueItem | null> {
    const moved = await this.items.findOneAndUpdate({ _id: id, status: Array.isArray(from) ? { $in: from } : from }, { $set: fields });
    this.announce(moved);
    this.moved(moved, from);
    return moved;
  }

  /** As every queue's, and a sent item is what the order check of the key's next reads. */
  protected override settled(item: OutboundQueueItem): void {
    if (item.status === 'processed' && item.started_at !== null) this.sentInOrder.sent(item, item.started_at);
    super.settled(item);
  }

  /**
   * A remote system's link went to error or came back: its ready items'
   * retries start over (their last error kept), so the backlog goes at once,
   * in order, when the link is active, instead of each key waiting out its
   * backoff. Those of the first window are announced.
   */
  async retryNow(remoteSystem: string): Promise<void> {
    const waiting = { status: 'ready', remote_system: remoteSystem, 'retry.next_attempt_at': { $ne: null } };
    await this.items.updateMany(waiting, { $set: { 'retry.next_attempt_at': null, 'retry.attempts': 0 } });
    for (const item of await this.items.find({ status: 'ready', remote_system: remoteSystem }, { sort: { created_at: 1 }, limit: 1000 })) this.announce(item);
  }

  /** Items whose dispatcher died mid-send go back to ready; the envelope id makes the resend harmless. */
  async releaseExpired(now: number): Promise<number> {
    const { modifiedCount } = await this.items.updateMany({ status: 'processing', lease_until: { $lt: now } }, { $set: { status: 'ready', lease_until: null } });
    return modifiedCount;
  }

  /** Oldest first; one record's items to one remote system in sequence order. */
  list(query: QueueListFilter = {}, page: { limit: number; offset: number } = { limit: 1000, offset: 0 }): Promise<OutboundQueueItem[]> {
    return this.items.find(queueListStoreFilter(query), { sort: { created_at: 1, correlation_key: 1, sequence: 1, _id: 1 }, limit: page.limit, skip: page.offset });
  }

}
