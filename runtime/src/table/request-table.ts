import type { Request } from 'express';
import { requireRole } from '../auth/principal.js';
import type { ResolvedTable, TableDictionary } from '../dictionary/dictionary.js';
import { badRequest, notFound, type ProblemError } from '../http/problem.js';
import { idPattern } from '@lockstep/store';

export type Access = 'read' | 'write';

/** Why a table name finds nothing, naming the tables there are. */
export function noSuchTable(dictionary: TableDictionary, name: string): string {
  return `there is no table ${name}; the tables are ${dictionary.list().map((candidate) => candidate.name).join(', ')}`;
}

/**
 * The table a request names, when the caller has the role `access` takes:
 * 404 for a table there is not, 403 without the role. `doing` begins the
 * refusal ("Reading", "Attaching files to").
 */
export function requestTable(req: Request, dictionary: TableDictionary, name: string, access: Access, doing: string): ResolvedTable {
  const table = dictionary.get(name);
  if (!table) throw notFound('unknown-table', noSuchTable(dictionary, name));
  requireRole(req, table.roles[access], `${doing} ${table.name} records`);
  return table;
}

/** The request's `:sys_id`, 400 unless it has a sys_id's shape. */
export function requestSysId(req: Request<{ sys_id: string }>): string {
  const sysId = req.params.sys_id;
  if (!idPattern.test(sysId)) throw badRequest('invalid-sys-id', `${sysId} is not a sys_id; a sys_id is 32 lower-case hex characters`);
  return sysId;
}

export function noSuchRecord(table: ResolvedTable, sysId: string): ProblemError {
  return notFound('no-such-record', `there is no ${table.name} record with sys_id ${sysId}`);
}
