import { resultOf, tableRecordSchema, type TableRecord } from '@lockstep/schema';
import { request } from './client';
import { fetchPage, searchOf } from './paged';

/** A Table API record: typed values by field name. */
export type { TableRecord };

const one = resultOf(tableRecordSchema);
const at = (table: string, sysId?: string) => `/now/table/${encodeURIComponent(table)}${sysId === undefined ? '' : `/${encodeURIComponent(sysId)}`}`;

export const recordApi = {
  list: (table: string, params: { query?: string; fields?: string; limit: number; offset: number }) =>
    fetchPage(tableRecordSchema, `${at(table)}${searchOf({ sysparm_query: params.query, sysparm_fields: params.fields, sysparm_limit: params.limit, sysparm_offset: params.offset })}`),
  get: async (table: string, sysId: string, fields?: string) => (await request(one, `${at(table, sysId)}${searchOf({ sysparm_fields: fields })}`)).body.result,
  create: async (table: string, values: TableRecord) => (await request(one, at(table), { method: 'POST', body: values })).body.result,
  update: async (table: string, sysId: string, values: TableRecord) => (await request(one, at(table, sysId), { method: 'PATCH', body: values })).body.result,
};
