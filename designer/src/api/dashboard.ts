import { remoteSystemStates } from '@lockstep/schema';
import { z } from 'zod';
import { request } from './client';
import { queueStatuses } from './queues';

const figures = z.object({
  by_status: z.record(z.enum(queueStatuses), z.number()),
  processed: z.object({ last_minute: z.number(), last_hour: z.number(), last_day: z.number() }),
  average_processing_ms_24h: z.number().nullable(),
  last_queued_at: z.number().nullable(),
  last_processed_at: z.number().nullable(),
});
export type QueueFigures = z.infer<typeof figures>;

const series = z.object({ processed: z.array(z.number()), errors: z.array(z.number()) });

export const dashboardSchema = z.object({
  generated_at: z.number(),
  remote_systems: z.array(z.object({ sys_id: z.string(), name: z.string(), process_sync_definition: z.string(), inbound_state: z.enum(remoteSystemStates), outbound_state: z.enum(remoteSystemStates) })),
  outbound: figures,
  inbound: figures,
  series: z.object({ bucket: z.enum(['minute', 'hour']), bucket_ms: z.number(), starts: z.array(z.number()), outbound: series, inbound: series }),
});
export type Dashboard = z.infer<typeof dashboardSchema>;
export type Bucket = Dashboard['series']['bucket'];

export const dashboardApi = {
  get: async (bucket: Bucket) => (await request(z.object({ result: dashboardSchema }), `/lockstep/v1/sync/dashboard?bucket=${bucket}`)).body.result,
};
