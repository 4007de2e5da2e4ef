import { z } from 'zod';
import { pageParams } from '../http/listing.js';
import { queueStatuses } from './queue-item.js';

const sysId = z.string().regex(/^[0-9a-f]{32}$/, 'a sys_id is 32 hex characters');
/** An ISO 8601 date-time or epoch ms. */
const instant = z.union([z.coerce.number().int().min(0), z.iso.datetime({ offset: true }).transform((text) => Date.parse(text))]);

/** The filters and page of an outbound or inbound queue list, as admins narrow both. */
export const queueListQuery = z.strictObject({
  status: z.enum(queueStatuses).optional(),
  process_event: sysId.optional(),
  remote_system: sysId.optional(),
  created_after: instant.optional(),
  created_before: instant.optional(),
  ...pageParams,
});
