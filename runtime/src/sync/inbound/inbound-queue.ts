import type { SyncEnvelope } from '@lockstep/schema';
import { DuplicateKeyError, type DocumentStore } from '@lockstep/store';
import { InsertGroups } from '../insert-groups.js';
import { QueueItems } from '../queue-items.js';
import type { Admission } from '../../queue/keyed-work.js';
import type { QueueItem, QueueStatus } from '../queue-item.js';
import { InboundCursors, type Unseen } from './inbound-cursor.js';

/** One envelope received from a peer, waiting for (or done with) the inbound processor. */
export interface InboundQueueItem extends QueueItem {
  /** The envelope's id, which is what makes a repeated envelope a duplicate. */
  _id: string;
  /** The local remote system record of the sender; the local process event's sys_id is `process_event`. */
  remote_system: string;
  /** `${remote_system}:${sender's correlation id}`. The payload is the whole envelope; the domain is the inbound API user's. */
  correlation_key: string;
  local_correlation_id: string | null;
  remote_correlation_id: string;
  /** The flow context of the inbound subflow run that processed it. */
  transform_context: string | null;
  /** Times an admin sent it back to ready (retry, reprocess); each gets a new flow context. Missing means 0. */
  attempt?: number;
  /** Its comments and work notes are on the record already (it was reprocessed after being applied): a run adds none. */
  journal_applied?: boolean;
}

export interface EnqueueTarget {
  /** Local sys_id of the sender's remote system record. */
  remoteSystem: string;
  /** Local sys_id of the process event the envelope names. */
  processEvent: string;
  domain: string;
}

export type EnqueueResult = { duplicate: false; item: InboundQueueItem } | { duplicate: true };

const INBOUND_QUEUE_COLLECTION = 'sync_inbound_queue';

/** The key a sender's changes of one record are applied in sequence under: the sender's remote system record here, and its correlation id. */
export function inboundCorrelationKey(remoteSystem: string, senderCorrelationId: string): string {
  return `${remoteSystem}:${senderCorrelationId}`;
}

/** Where received envelopes wait, in the original's `inbound queue` table (InboundQueueDao). */
export class InboundQueue extends QueueItems<InboundQueueItem> {
  /** How far each key has been applied: kept with the queue, as the processor and the admins' skip and reprocess move it. */
  readonly cursors: InboundCursors;
  /** The envelopes of a peer's batch request are queued in one write. */
  private readonly inserts: InsertGroups<InboundQueueItem>;
  /** The index that holds each key's sequence once is in place (`oneItemPerSequence`). */
  private sequencesUnique = false;

  constructor(store: DocumentStore) {
    super(store, INBOUND_QUEUE_COLLECTION);
    this.cursors = new InboundCursors(store, this.items);
    this.inserts = new InsertGroups(this.items);
  }

  async prepare(): Promise<void> {
    // The processor's scans and the admins' lists go by status, the scans oldest first.
    await this.items.createIndex({ fields: ['status', 'created_at'], ordered: true });
    await this.oneItemPerSequence();
  }

  /**
   * A key's sequence is queued once, whatever the envelope id: a second
   * envelope with it is a duplicate (enqueue), even while the first still
   * waits, so no change is applied twice. The index also serves the reads by
   * key (what an item waits behind, when an admin opens it). A store from
   * before the rule may hold such a pair and cannot take it: it goes with an
   * index of the key alone, and the check against the key's cursor
   * (enqueue) still refuses a sequence once it is applied. The cursors read a
   * key's last settled item by the key alone (InboundCursors.applied).
   */
  private async oneItemPerSequence(): Promise<void> {
    try {
      await this.items.createIndex({ fields: ['correlation_key', 'sequence'], unique: true, byFirstFieldToo: true });
      this.sequencesUnique = true;
    } catch (error) {
      if (!(error instanceof DuplicateKeyError)) throw error;
      await this.items.createIndex({ fields: ['correlation_key'] });
    }
  }

  /**
   * Queues an envelope once: a repeat of its id (a retry, or a replay) or of
   * its key's sequence is reported, and stores nothing. A sequence its key
   * has applied already is a repeat, whatever the envelope's id: queued, it
   * would apply its change again. One the processor takes at once is stored
   * claimed for it.
   *
   * A key's first item reads only the key's stored cursor, not its settled
   * items (InboundCursors.firstArrives): where there is none, its insert,
   * which the unique index on key and sequence refuses for a repeat, is the
   * rest of the check. On FerretDB that saved a read a change in the sync
   * bench.
   */
  async enqueue(envelope: SyncEnvelope, target: EnqueueTarget): Promise<EnqueueResult> {
    const key = inboundCorrelationKey(target.remoteSystem, envelope.correlation.sender_id);
    let unseen: Unseen | undefined;
    if (envelope.sequence === 1 && this.sequencesUnique) {
      const first = await this.cursors.firstArrives(key);
      if ('unseen' in first) unseen = first.unseen;
      else if (first.applied >= 1) return { duplicate: true };
    } else if (envelope.sequence <= (await this.cursors.applied(key))) {
      return { duplicate: true };
    }
    const item: InboundQueueItem = {
      _id: envelope.id,
      status: 'ready',
      remote_system: target.remoteSystem,
      process_event: target.processEvent,
      operation: envelope.operation,
      sequence: envelope.sequence,
      correlation_key: key,
      local_correlation_id: envelope.correlation.receiver_id,
      remote_correlation_id: envelope.correlation.sender_id,
      payload_json: JSON.stringify(envelope),
      sys_domain: target.domain,
      created_at: Date.now(),
      started_at: null,
      finished_at: null,
      time_in_queue_ms: null,
      processing_ms: null,
      error_info: null,
      transform_context: null,
      lease_until: null,
    };
    let admission: Admission<InboundQueueItem> | undefined;
    let queued: InboundQueueItem;
    try {
      const admitted = await this.admitted(item);
      admission = admitted.admission;
      queued = await this.inserts.insertOne(admitted.doc);
    } catch (error) {
      // What was taken for the key first: a cancelled admission has its key's next items chosen at once.
      if (unseen) this.cursors.forget(key, unseen);
      admission?.cancel();
      if (error instanceof DuplicateKeyError) return { duplicate: true };
      throw error;
    }
    this.stored(queued, admission);
    return { duplicate: false, item: queued };
  }

  /** Ready items of these remote systems, oldest first, for the processor to pick from: the store walks its index on status and creation time. */
  ready(remoteSystems: string[], limit: number): Promise<InboundQueueItem[]> {
    return this.items.find({ status: 'ready', remote_system: { $in: remoteSystems } }, { sort: { created_at: 1 }, limit });
  }

  /** An inbound item keeps how long it waited for the processor. */
  protected override claimFields(item: InboundQueueItem, now: number): Partial<InboundQueueItem> {
    return { time_in_queue_ms: now - item.created_at };
  }

  /**
   * A claim, and whether it is the first of the item's attempt: every claim
   * sets `started_at`, and only a retry or a reprocess, which bumps the
   * attempt, clears it. No run can be stored yet under the flow context id
   * of a first claim (inboundContextId), so its run need not look for one.
   */
  async claimTelling(item: InboundQueueItem, now: number, leaseUntil: number): Promise<{ claimed: InboundQueueItem; first: boolean } | null> {
    const outcome = await this.claimWithPrior(item, now, leaseUntil);
    return outcome && { claimed: outcome.claimed, first: outcome.prior.started_at === null };
  }

  /** An admin's move from one of `from`; null when the item was not in one of them. */
  async transition(id: string, from: QueueStatus[], set: Partial<InboundQueueItem>, bumpAttempt: boolean): Promise<InboundQueueItem | null> {
    const moved = await this.items.findOneAndUpdate({ _id: id, status: { $in: from } }, { $set: set, ...(bumpAttempt && { $inc: { attempt: 1 } }) });
    this.announce(moved);
    this.moved(moved, from);
    return moved;
  }

  /**
   * Retention's removal: before processed and skipped items go, each key's
   * stored cursor keeps the highest of them, which is how far those items
   * showed the key applied (InboundCursors).
   */
  override async remove(items: readonly InboundQueueItem[], status: QueueStatus): Promise<number> {
    if (status === 'processed' || status === 'skipped') {
      const highest = new Map<string, number>();
      for (const { correlation_key: key, sequence } of items) highest.set(key, Math.max(sequence, highest.get(key) ?? 0));
      for (const [key, applied] of highest) await this.cursors.keep(key, applied);
    }
    return super.remove(items, status);
  }

  /** The oldest item of a remote system in error: while there is one, its inbound link stays in error. */
  firstInError(remoteSystem: string): Promise<InboundQueueItem | null> {
    return this.items.findOne({ status: 'error', remote_system: remoteSystem }, { sort: { created_at: 1 } });
  }

  /**
   * Claims whose lease ended before `now` go back to ready: their worker
   * stopped. Their flow context id is unchanged, so a run that had finished
   * is not run again. A claim with no lease is from before claims had one.
   */
  async releaseExpired(now: number): Promise<number> {
    const expired = { status: 'processing', $or: [{ lease_until: { $lt: now } }, { lease_until: null }] };
    return (await this.items.updateMany(expired, { $set: { status: 'ready', lease_until: null } })).modifiedCount;
  }
}
