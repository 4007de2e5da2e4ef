import { z } from 'zod';
import type { ListQuery, QueueSide } from '../console/console-routes';
import { request } from './client';
import { fetchPage, searchOf } from './paged';

export const queueStatuses = ['ready', 'processing', 'processed', 'error', 'skipped'] as const;
export type QueueStatus = (typeof queueStatuses)[number];

/** An outbound or inbound queue item: what both share, and each side's own fields. */
export const queueItemSchema = z.object({
  sys_id: z.string(),
  status: z.enum(queueStatuses),
  process_event: z.string(),
  remote_system: z.string(),
  operation: z.string(),
  correlation_key: z.string(),
  sequence: z.number(),
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
  retry: z.object({ attempts: z.number(), next_attempt_at: z.number().nullable(), last_error: z.string().nullable() }).optional(),
  flow_context: z.string().nullable().optional(),
  // Inbound: the correlation ids and the inbound subflow's flow context.
  local_correlation_id: z.string().nullable().optional(),
  remote_correlation_id: z.string().optional(),
  transform_context: z.string().nullable().optional(),
  attempt: z.number().optional(),
});
export type QueueItem = z.infer<typeof queueItemSchema>;

export const queueActions = ['retry', 'skip', 'reprocess'] as const;
export type QueueAction = (typeof queueActions)[number];

/** The states each action applies to, as the runtime enforces them; the console offers only those. */
export const actionAppliesTo: Record<QueueAction, readonly QueueStatus[]> = {
  retry: ['error'],
  skip: ['ready', 'error'],
  reprocess: ['processed', 'skipped'],
};

/** The flow context a queue item's run left, on either side. */
export const contextOf = (item: QueueItem): string | null => item.flow_context ?? item.transform_context ?? null;

/** The earlier item of the same key that an item waits behind, as the runtime names it when one item is read. */
export const waitingForSchema = z.object({ sys_id: z.string(), sequence: z.number(), status: z.enum(queueStatuses), error: z.string().nullable() });
export type WaitingFor = z.infer<typeof waitingForSchema>;

/** One item as its page reads it: its payload parsed, and what it waits behind. */
export const queueItemDetailSchema = queueItemSchema.extend({ payload: z.unknown().optional(), waiting_for: waitingForSchema.nullable().optional() });
export type QueueItemDetail = z.infer<typeof queueItemDetailSchema>;

const base = (side: QueueSide) => `/lockstep/v1/sync/${side}-queue`;
const one = z.object({ result: queueItemDetailSchema });

export const queueApi = {
  list: (side: QueueSide, query: ListQuery) => fetchPage(queueItemSchema, `${base(side)}${searchOf(query)}`),
  get: async (side: QueueSide, id: string) => (await request(one, `${base(side)}/${encodeURIComponent(id)}`)).body.result,
  act: async (side: QueueSide, id: string, action: QueueAction) => (await request(one, `${base(side)}/${encodeURIComponent(id)}/${action}`, { method: 'POST' })).body.result,
};
