import { z } from 'zod';

/** `GET /health`: liveness and readiness, for anyone; it names no path, address or URI. */
export const healthSchema = z.object({
  status: z.literal('ok'),
  instance: z.string(),
  store: z.object({
    kind: z.string(),
    /** Counts of store operations by kind, only when LOCKSTEP_COUNT_STORE_OPS=1 asks for them. */
    operations: z.record(z.string(), z.unknown()).optional(),
  }),
  uptime_s: z.number().int().min(0),
});
export type Health = z.infer<typeof healthSchema>;
