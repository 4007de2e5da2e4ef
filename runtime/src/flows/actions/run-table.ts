import { StepError, type RunAs } from '@lockstep/flow';
import { hasAnyRole } from '../../auth/roles.js';
import type { ResolvedTable, TableDictionary } from '../../dictionary/dictionary.js';
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
