import type { SyncEnvelope } from '@lockstep/schema';
import { DuplicateKeyError, type Collection, type DocumentStore, type Filter } from '../../store/port.js';
import type { QueueItem, QueueStatus } from '../queue-item.js';

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
}

export interface EnqueueTarget {
  /** Local sys_id of the sender's remote system record. */
  remoteSystem: string;
  /** Local sys_id of the process event the envelope names. */
  processEvent: string;
  domain: string;
}

export type EnqueueResult = { duplicate: false; item: InboundQueueItem } | { duplicate: true };

export interface InboundQueueFilter {
  status?: QueueStatus;
  remoteSystem?: string;
}

/** Where received envelopes wait, in the original's `inbound queue` table (InboundQueueDao). */
export class InboundQueue {
  private readonly items: Collection<InboundQueueItem>;

  constructor(store: DocumentStore) {
    this.items = store.collection<InboundQueueItem>('sync_inbound_queue');
  }

  async prepare(): Promise<void> {
    // One index serves the admins' list (status, remote system) and the
    // processor's claims (ready items of one correlation key, by sequence).
    await this.items.createIndex({ fields: ['status', 'remote_system', 'correlation_key', 'sequence'] });
  }

  /** Queues an envelope once: a repeat of its id (a retry, or a replay) is reported, and stores nothing. */
  async enqueue(envelope: SyncEnvelope, target: EnqueueTarget): Promise<EnqueueResult> {
    const item: InboundQueueItem = {
      _id: envelope.id,
      status: 'ready',
      remote_system: target.remoteSystem,
      process_event: target.processEvent,
      operation: envelope.operation,
      sequence: envelope.sequence,
      correlation_key: `${target.remoteSystem}:${envelope.correlation.sender_id}`,
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
    };
    try {
      return { duplicate: false, item: await this.items.insertOne(item) };
    } catch (error) {
      if (error instanceof DuplicateKeyError) return { duplicate: true };
      throw error;
    }
  }

  /** Newest first, as admins watch it. */
  async list(filter: InboundQueueFilter, limit: number, offset: number): Promise<{ items: InboundQueueItem[]; total: number }> {
    const query: Filter = { status: filter.status, remote_system: filter.remoteSystem };
    const [items, total] = await Promise.all([
      this.items.find(query, { sort: { created_at: -1, _id: 1 }, limit, skip: offset }),
      this.items.countDocuments(query),
    ]);
    return { items, total };
  }
}
