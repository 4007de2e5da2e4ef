import { fieldDefinitionSchema } from '@lockstep/schema';
import { z } from 'zod';
import { request } from './client';

export const tableViewSchema = z.object({
  name: z.string(),
  label: z.string(),
  lineage: z.array(z.string()),
  classes: z.array(z.string()),
  number_prefix: z.string().nullable(),
  access: z.object({ read: z.boolean(), write: z.boolean() }),
  fields: z.array(fieldDefinitionSchema),
});
export type TableView = z.infer<typeof tableViewSchema>;

export const dictionaryApi = {
  tables: async () => (await request(z.object({ result: z.array(tableViewSchema) }), '/lockstep/v1/dictionary/tables')).body.result,
  table: async (name: string) => (await request(z.object({ result: tableViewSchema }), `/lockstep/v1/dictionary/tables/${encodeURIComponent(name)}`)).body.result,
};
