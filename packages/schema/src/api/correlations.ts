import { z } from 'zod';
import { sysId } from '../dictionary.js';
import { correlationViewSchema } from '../sync-config.js';
import { pageParams } from './envelope.js';

/** Correlation records as admins read them (`/api/lockstep/v1/sync/correlations`). */

export const correlationRecordSchema = correlationViewSchema.extend({
  sys_domain: z.string(),
  sys_created_on: z.string(),
  sys_updated_on: z.string(),
});
export type CorrelationRecord = z.infer<typeof correlationRecordSchema>;

export const correlationListQuerySchema = z.strictObject({
  local_table: z.string().regex(/^[a-z][a-z0-9_]{0,79}$/, 'a table name is lower case letters, digits and _').optional(),
  local_record: sysId.optional(),
  remote_system: sysId.optional(),
  local_correlation_id: sysId.optional(),
  remote_correlation_id: z.string().min(1).max(200).optional(),
  state: z.enum(['active', 'inactive']).optional(),
  ...pageParams,
});
