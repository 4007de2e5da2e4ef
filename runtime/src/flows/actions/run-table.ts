import { StepError, type RunAs } from '@lockstep/flow';
import { hasAnyRole } from '../../auth/roles.js';
import type { ResolvedTable, TableDictionary } from '../../dictionary/dictionary.js';

/** A table a flow step reads or writes, when the user the run acts as has that table's role for it. */
export function tableForRun(dictionary: TableDictionary, name: string, runAs: RunAs, access: 'read' | 'write'): ResolvedTable {
  const table = dictionary.get(name);
  if (!table) throw new StepError(`there is no table ${name}; the tables are ${dictionary.list().map((candidate) => candidate.name).join(', ')}`);
  if (!hasAnyRole(runAs.roles, table.roles[access])) {
    throw new StepError(`${runAs.userName}, whom this run acts as, cannot ${access} ${name} records: it needs one of the roles ${table.roles[access].join(', ')}`);
  }
  return table;
}
