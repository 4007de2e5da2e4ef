import { correlationRecordSchema, type CorrelationRecord } from '@lockstep/schema';
import { fetchPage, searchOf } from './paged';

export type Correlation = CorrelationRecord;

const BASE = '/lockstep/v1/sync/correlations';

export const correlationApi = {
  /** A record's correlations, one per remote system it syncs with. */
  ofRecord: async (table: string, sysId: string) => (await fetchPage(correlationRecordSchema, `${BASE}${searchOf({ local_table: table, local_record: sysId })}`)).rows,
  /** The correlation with this local correlation id: what the other side knows this instance's record by. */
  byLocalId: async (localCorrelationId: string) => (await fetchPage(correlationRecordSchema, `${BASE}${searchOf({ local_correlation_id: localCorrelationId })}`)).rows[0] ?? null,
};
