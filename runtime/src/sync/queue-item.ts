import type { CaptureOperation, QueueStatus } from '@lockstep/schema';
import type { StoredDocument } from '@lockstep/store';

export type { QueueStatus } from '@lockstep/schema';

/** What outbound and inbound queue items share: what admins watch on both queues. Times are epoch milliseconds. */
export interface QueueItem extends StoredDocument {
  status: QueueStatus;
  process_event: string;
  remote_system: string;
  operation: CaptureOperation;
  /** Items with one key are applied strictly in sequence order. */
  correlation_key: string;
  sequence: number;
  /**
   * JSON text: payload field names may contain `.` or start with `$`, which
   * the stores refuse as field names.
   */
  payload_json: string;
  sys_domain: string;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  time_in_queue_ms: number | null;
  processing_ms: number | null;
  error_info: string | null;
  /** Until when the worker that claimed it holds it; null while unclaimed (and on inbound items claimed before claims had leases). */
  lease_until?: number | null;
}
