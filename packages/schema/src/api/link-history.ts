import { z } from 'zod';
import { remoteSystemState } from '../sync-config.js';

/**
 * One change of a remote system's inbound or outbound state, as the link
 * history on the remote system shows it: when, from what to what, and why.
 */
export const linkTransitionSchema = z.object({
  sys_id: z.string(),
  remote_system: z.string(),
  direction: z.enum(['inbound', 'outbound']),
  from: remoteSystemState,
  to: remoteSystemState,
  /** In words: what failed and for how long, what validated, who pressed Validate and Activate. */
  reason: z.string(),
  /** ISO 8601. */
  at: z.string(),
});
export type LinkTransition = z.infer<typeof linkTransitionSchema>;

/** How many of the latest transitions to show, as the Table API names it. */
export const linkHistoryQuerySchema = z.strictObject({ sysparm_limit: z.coerce.number().int().min(1).max(1000).default(50) });
