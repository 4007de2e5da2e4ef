import { DuplicateKeyError, type Collection, type DocumentStore, type Filter } from '../../store/port.js';
import type { QueueItem, QueueStatus } from '../queue-item.js';

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
  retry: OutboundRetry;
  /** The outbound subflow's flow context, once one ran. */
  flow_context: string | null;
  /** Until when the dispatcher that claimed it holds it; null while unclaimed. */
  lease_until: number | null;
}

/** What the relay decides about an item; the rest starts as a ready item. */
export type NewOutboundItem = Pick<
  OutboundQueueItem,
  '_id' | 'process_event' | 'remote_system' | 'capture_definition' | 'correlation_key' | 'sequence' | 'operation' | 'record' | 'payload_json' | 'origin_intent' | 'sys_domain'
>;

export interface OutboundQueueQuery {
  status?: QueueStatus;
  remote_system?: string;
  process_event?: string;
  correlation_key?: string;
}

export function correlationKey(table: string, sysId: string, remoteSystem: string): string {
  return `${table}:${sysId}:${remoteSystem}`;
}

export function outboundItemId(intentId: string, remoteSystem: string): string {
  return `${intentId}:${remoteSystem}`;
}

/** The outbound queue (OutboundQueueDao in the original's logs). */
export class OutboundQueue {
  private readonly items: Collection<OutboundQueueItem>;

  constructor(store: DocumentStore) {
    this.items = store.collection<OutboundQueueItem>('sync_outbound_queue');
  }

  async prepare(): Promise<void> {
    // A claim takes the lowest ready sequence of a correlation key.
    await this.items.createIndex({ fields: ['status', 'correlation_key', 'sequence'] });
    // One number per change of a record to a remote system: a second item with it would be a bug, refused here.
    await this.items.createIndex({ fields: ['correlation_key', 'sequence'], unique: true });
  }

  /** Inserted false when this item was queued before (the relay moved its intent already). */
  async insert(fields: NewOutboundItem, now: number = Date.now()): Promise<{ inserted: boolean; item: OutboundQueueItem }> {
    try {
      const item = await this.items.insertOne({
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
      });
      return { inserted: true, item };
    } catch (error) {
      if (!(error instanceof DuplicateKeyError)) throw error;
      // Only a clash on `_id` means "already queued"; one on the sequence alone must not pass silently.
      const existing = await this.get(fields._id);
      if (!existing) throw error;
      return { inserted: false, item: existing };
    }
  }

  get(id: string): Promise<OutboundQueueItem | null> {
    return this.items.findOne({ _id: id });
  }

  async exists(id: string): Promise<boolean> {
    return (await this.items.findOne({ _id: id }, { projection: { _id: 1 } })) !== null;
  }

  /** Oldest first; one record's items to one remote system in sequence order. */
  list(query: OutboundQueueQuery = {}, page: { limit: number; offset: number } = { limit: 1000, offset: 0 }): Promise<OutboundQueueItem[]> {
    return this.items.find(filterOf(query), { sort: { created_at: 1, correlation_key: 1, sequence: 1, _id: 1 }, limit: page.limit, skip: page.offset });
  }
}

function filterOf(query: OutboundQueueQuery): Filter {
  return Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined));
}
