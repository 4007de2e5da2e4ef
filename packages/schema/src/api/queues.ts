import { z } from 'zod';
import { sysId } from '../dictionary.js';
import { captureOperation, remoteSystemState } from '../sync-config.js';

/** The outbound and inbound queues as admins watch and steer them (`/api/lockstep/v1/sync/{outbound,inbound}-queue`). */

/** The states of a queue item, as the original names them. */
export const queueStatuses = ['ready', 'processing', 'processed', 'error', 'skipped'] as const;
export const queueStatus = z.enum(queueStatuses);
export type QueueStatus = z.infer<typeof queueStatus>;

export const queueActions = ['retry', 'skip', 'reprocess'] as const;
export type QueueAction = (typeof queueActions)[number];

/** An ISO 8601 date-time or epoch ms. */
const instant = z.union([z.coerce.number().int().min(0), z.iso.datetime({ offset: true }).transform((text) => Date.parse(text))]);

const pageSize = z.coerce.number().int().min(1).max(1000);
const pageStart = z.coerce.number().int().min(0);

/**
 * The filters and page of either queue's list, named as the Table API
 * names them: `sysparm_query` is an encoded query on the items' fields
 * (times in epoch ms: `status=error^created_at>1767225600000^ORDERBYDESCcreated_at`),
 * `sysparm_limit` (100 when left out) and `sysparm_offset`. The named
 * filters, and `limit` and `offset` as the lists first took them, still work.
 */
export const queueListQuerySchema = z.strictObject({
  sysparm_query: z.string().max(4000).default(''),
  sysparm_limit: pageSize.optional(),
  sysparm_offset: pageStart.optional(),
  status: queueStatus.optional(),
  process_event: sysId.optional(),
  remote_system: sysId.optional(),
  created_after: instant.optional(),
  created_before: instant.optional(),
  limit: pageSize.optional(),
  offset: pageStart.optional(),
});

/**
 * What items of both queues show; times are epoch ms. Loose: each side has
 * fields of its own (outbound: record, retry, flow_context; inbound: the
 * correlation ids, transform_context, attempt), and leases besides.
 */
export const queueItemViewSchema = z.looseObject({
  sys_id: z.string(),
  status: queueStatus,
  process_event: z.string(),
  remote_system: z.string(),
  operation: captureOperation,
  correlation_key: z.string(),
  sequence: z.number().int(),
  /** The envelope or captured object, as JSON text. */
  payload_json: z.string(),
  sys_domain: z.string(),
  created_at: z.number(),
  started_at: z.number().nullable(),
  finished_at: z.number().nullable(),
  time_in_queue_ms: z.number().nullable(),
  processing_ms: z.number().nullable(),
  error_info: z.string().nullable(),
  // Outbound: the record captured, the retry metadata and the outbound subflow's flow context.
  record: z.object({ table: z.string(), sys_id: z.string(), mod_count: z.number() }).optional(),
  retry: z.object({ attempts: z.number().int(), next_attempt_at: z.number().nullable(), last_error: z.string().nullable() }).optional(),
  flow_context: z.string().nullable().optional(),
  // Inbound: the correlation ids and the inbound subflow's flow context.
  local_correlation_id: z.string().nullable().optional(),
  remote_correlation_id: z.string().optional(),
  transform_context: z.string().nullable().optional(),
  attempt: z.number().int().optional(),
});
export type QueueItemView = z.infer<typeof queueItemViewSchema>;

/** The earlier item of the same key that an item waits behind, or null. */
export const waitingForSchema = z.object({
  sys_id: z.string(),
  sequence: z.number().int(),
  status: queueStatus,
  /** Why that item is held up, when it failed: its error, or its last failed attempt's. */
  error: z.string().nullable(),
});
export type WaitingFor = z.infer<typeof waitingForSchema>;

/** One item as its own page reads it: its payload parsed, and what it waits behind. */
export const queueItemDetailSchema = queueItemViewSchema.extend({ payload: z.unknown(), waiting_for: waitingForSchema.nullable() });
export type QueueItemDetail = z.infer<typeof queueItemDetailSchema>;

/** One queue summed up, in the caller's domain and below. Times are epoch ms. */
export const queueFiguresSchema = z.object({
  by_status: z.record(queueStatus, z.number().int()),
  processed: z.object({ last_minute: z.number().int(), last_hour: z.number().int(), last_day: z.number().int() }),
  /** Mean processing time of the items processed in the last 24 hours; null when there were none. */
  average_processing_ms_24h: z.number().nullable(),
  last_queued_at: z.number().nullable(),
  last_processed_at: z.number().nullable(),
});
export type QueueFigures = z.infer<typeof queueFiguresSchema>;

/** A queue's `/stats`: its figures, and the remote systems whose state in its direction is error. */
export const queueStatsSchema = queueFiguresSchema.extend({
  remote_systems_in_error: z.array(
    z.object({ sys_id: z.string(), name: z.string(), inbound_state: remoteSystemState.optional(), outbound_state: remoteSystemState.optional() }),
  ),
});

/**
 * The instance's debug switch (the original's glide.ih.process.sync.debug):
 * on, each step of every queue item is logged. A remote system's own `debug`
 * turns it on for that remote system's items alone.
 */
export const syncDebugSchema = z.strictObject({ enabled: z.boolean() });
export type SyncDebug = z.infer<typeof syncDebugSchema>;
