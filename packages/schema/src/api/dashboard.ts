import { z } from 'zod';
import { remoteSystemState } from '../sync-config.js';
import { queueFiguresSchema } from './queues.js';

/** The admin console's dashboard in one answer (`GET /api/lockstep/v1/sync/dashboard`). */

export const dashboardBuckets = ['minute', 'hour'] as const;

/** The last hour by minute, or the last day by hour. */
export const dashboardQuerySchema = z.strictObject({ bucket: z.enum(dashboardBuckets).default('hour') });

/** Processed and failed items per bucket, by when they finished. */
const seriesSchema = z.object({ processed: z.array(z.number().int()), errors: z.array(z.number().int()) });

export const dashboardSchema = z.object({
  generated_at: z.number(),
  remote_systems: z.array(
    z.object({ sys_id: z.string(), name: z.string(), process_sync_definition: z.string(), inbound_state: remoteSystemState, outbound_state: remoteSystemState }),
  ),
  outbound: queueFiguresSchema,
  inbound: queueFiguresSchema,
  series: z.object({
    bucket: z.enum(dashboardBuckets),
    bucket_ms: z.number().int(),
    /** Bucket starts (epoch ms), oldest first, aligned to the bucket size. */
    starts: z.array(z.number()),
    outbound: seriesSchema,
    inbound: seriesSchema,
  }),
});
export type Dashboard = z.infer<typeof dashboardSchema>;
