import { resultOf, tableViewSchema } from '@lockstep/schema';
import { z } from 'zod';
import { request } from './client';

export type { TableView } from '@lockstep/schema';

export const dictionaryApi = {
  tables: async () => (await request(resultOf(z.array(tableViewSchema)), '/lockstep/v1/dictionary/tables')).body.result,
  table: async (name: string) => (await request(resultOf(tableViewSchema), `/lockstep/v1/dictionary/tables/${encodeURIComponent(name)}`)).body.result,
};
