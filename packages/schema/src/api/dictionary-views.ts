import { z } from 'zod';
import { fieldDefinitionSchema } from '../dictionary.js';

/** A table as the designer's field pickers and record forms read it: inheritance resolved, every field typed. */
export const tableViewSchema = z.object({
  name: z.string(),
  label: z.string(),
  /** From the root table down to this one. */
  lineage: z.array(z.string()),
  /** This table and every table that extends it. */
  classes: z.array(z.string()),
  number_prefix: z.string().nullable(),
  /** Whether the caller may read and write its records through the Table API. */
  access: z.object({ read: z.boolean(), write: z.boolean() }),
  fields: z.array(fieldDefinitionSchema),
});
export type TableView = z.infer<typeof tableViewSchema>;
