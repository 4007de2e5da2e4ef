import { z } from 'zod';
import { queryFlag } from './envelope.js';

/** The Table API's parameters (`/api/now/table/:table`), as the original names them. */

/** The original caps a page at 10,000 records; asking for more is an error here, not a silent cut. */
export const MAX_PAGE = 10_000;

const fieldList = z
  .string()
  .transform((text) => text.split(',').map((name) => name.trim()).filter(Boolean))
  .optional();

/**
 * A list's `sysparm_` parameters. Any other parameter `field=value` is an
 * equality condition on that field, as in the original (`?active=true`).
 */
export const tableListParamsSchema = z.strictObject({
  sysparm_query: z.string().default(''),
  sysparm_limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(MAX_PAGE),
  sysparm_offset: z.coerce.number().int().min(0).default(0),
  sysparm_fields: fieldList,
  sysparm_display_value: z.literal('false', { error: 'display values are not supported yet; omit sysparm_display_value or set it to false' }).optional(),
  // Reference fields are returned as plain sys_ids, which is what this flag asks for; accepted for compatibility.
  sysparm_exclude_reference_link: queryFlag.optional(),
  sysparm_suppress_pagination_header: queryFlag.optional(),
});

/** The parameters of a single-record request (get, create, update). */
export const tableRecordParamsSchema = tableListParamsSchema.pick({ sysparm_fields: true, sysparm_display_value: true, sysparm_exclude_reference_link: true });

/**
 * A record as the Table API reads and writes it: values by field name, which
 * the table's dictionary entry types (GET /api/lockstep/v1/dictionary/tables/:table).
 * Journals read as their entries, newest first, and are written as a new entry's text.
 */
export const tableRecordSchema = z.record(z.string(), z.unknown());
export type TableRecord = z.infer<typeof tableRecordSchema>;
