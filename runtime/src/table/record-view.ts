import type { JournalEntry } from '@lockstep/schema';
import type { ResolvedTable } from '../dictionary/dictionary.js';
import type { StoredRecord } from './record-store.js';

export type ApiRecord = Record<string, unknown>;

/**
 * A stored record as the Table API returns it: every field of the table asked
 * for (or just `fields`), unset ones as null, and journals as their history,
 * newest entry first. Internal fields never leave, since only dictionary
 * fields are read.
 */
export function toApiRecord(record: StoredRecord, table: ResolvedTable, fields?: readonly string[]): ApiRecord {
  const view: ApiRecord = {};
  for (const name of fields ?? table.fields.keys()) {
    const field = table.fields.get(name);
    if (!field) continue;
    const value = record[name];
    view[name] = field.type === 'journal' ? [...((value as JournalEntry[] | undefined) ?? [])].reverse() : (value ?? null);
  }
  return view;
}
