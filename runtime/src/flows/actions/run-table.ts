import { StepError, type RunAs } from '@lockstep/flow';
import { hasAnyRole } from '../../auth/roles.js';
import type { ResolvedTable, TableDictionary } from '../../dictionary/dictionary.js';
import { scopeOf } from '../../domains/domain-scope.js';
import type { RecordStore, StoredRecord } from '../../table/record-store.js';
import { noSuchTable } from '../../table/request-table.js';

/** A table a flow step reads or writes, when the user the run acts as has that table's role for it. */
export function tableForRun(dictionary: TableDictionary, name: string, runAs: RunAs, access: 'read' | 'write'): ResolvedTable {
  const table = dictionary.get(name);
  if (!table) throw new StepError(noSuchTable(dictionary, name));
  if (!hasAnyRole(runAs.roles, table.roles[access])) {
    throw new StepError(`${runAs.userName}, whom this run acts as, cannot ${access} ${name} records: it needs one of the roles ${table.roles[access].join(', ')}`);
  }
  return table;
}

/** Something a step may not touch (`what`: "the incident record …") because it lies outside the run's domain: the step fails, saying where each is. */
export function outsideRunDomain(what: string, domain: string, runAs: RunAs): StepError {
  return new StepError(
    `${what} is in domain ${domain}, outside ${runAs.domain}, where ${runAs.userName}, whom this run acts as, works; a flow reads and writes what is in its own domain and those below it only`,
    'outside_domain',
  );
}

export function recordOutsideRunDomain(table: ResolvedTable, record: StoredRecord, runAs: RunAs): StepError {
  return outsideRunDomain(`the ${table.name} record ${record.sys_id}`, record.sys_domain, runAs);
}

/**
 * The record a step names, or null when there is none. One outside the
 * run's domain fails the step rather than pass for missing, which would let
 * the flow go on as if it had never been made (and make it again).
 */
export async function recordForRun(records: RecordStore, table: ResolvedTable, sysId: string, runAs: RunAs): Promise<StoredRecord | null> {
  const record = await records.get(table, sysId);
  if (record && !scopeOf(runAs).sees(record.sys_domain)) throw recordOutsideRunDomain(table, record, runAs);
  return record;
}
