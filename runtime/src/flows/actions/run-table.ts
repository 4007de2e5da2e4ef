import { StepError, type RunAs } from '@lockstep/flow';
import { hasAnyRole } from '../../auth/roles.js';
import type { ResolvedTable, TableDictionary } from '../../dictionary/dictionary.js';
import type { StoredRecord } from '../../table/record-store.js';
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

/** A record a step may not touch because it lies outside the run's domain: the step fails, saying where each is. */
export function outsideRunDomain(table: ResolvedTable, record: StoredRecord, runAs: RunAs): StepError {
  return new StepError(
    `the ${table.name} record ${record.sys_id} is in domain ${record.sys_domain}, outside ${runAs.domain}, where ${runAs.userName}, whom this run acts as, works; a flow reads and writes records of its own domain and those below it only`,
    'outside_domain',
  );
}
