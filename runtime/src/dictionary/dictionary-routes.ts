import { tableName, type TableView } from '@lockstep/schema';
import { Router, type Request } from 'express';
import { z } from 'zod';
import { principalOf, requireRole } from '../auth/principal.js';
import { hasAnyRole, roles } from '../auth/roles.js';
import { parseQueryParams } from '../http/parse.js';
import { badRequest, notFound } from '../http/problem.js';
import type { ResolvedTable, TableDictionary } from './dictionary.js';

function tableView(table: ResolvedTable, callerRoles: readonly string[]): TableView {
  return {
    name: table.name,
    label: table.label,
    lineage: table.lineage,
    classes: table.classes,
    number_prefix: table.numberPrefix ?? null,
    access: { read: hasAnyRole(callerRoles, table.roles.read), write: hasAnyRole(callerRoles, table.roles.write) },
    fields: [...table.fields.values()],
  };
}

/**
 * Who may read a table's definition: whoever may read its records, and
 * process sync designers, who pick fields of tables they never work in.
 */
const mayRead = (callerRoles: readonly string[], table: ResolvedTable) => hasAnyRole(callerRoles, [...table.roles.read, roles.processSync]);

/** The table dictionary, read-only, under `/api/lockstep/v1/dictionary`. */
export function dictionaryRoutes(dictionary: TableDictionary): Router {
  const router = Router();

  function tableFor(req: Request<{ table: string }>): ResolvedTable {
    const name = tableName.safeParse(req.params.table);
    if (!name.success) throw badRequest('invalid-table-name', `${req.params.table} is not a table name: ${name.error.issues[0]?.message ?? 'invalid'}`);
    const table = dictionary.get(name.data);
    if (!table) throw notFound('unknown-table', `there is no table ${name.data}; GET /api/lockstep/v1/dictionary/tables lists them`);
    return table;
  }

  router.get('/dictionary/tables', (req, res) => {
    parseQueryParams(z.strictObject({}), req.query);
    const { roles: callerRoles } = principalOf(req);
    const visible = dictionary.list().filter((table) => mayRead(callerRoles, table));
    res.json({ result: visible.map((table) => tableView(table, callerRoles)) });
  });

  router.get('/dictionary/tables/:table', (req, res) => {
    parseQueryParams(z.strictObject({}), req.query);
    const table = tableFor(req);
    const principal = requireRole(req, [...table.roles.read, roles.processSync], `Reading the definition of ${table.name}`);
    res.json({ result: tableView(table, principal.roles) });
  });

  return router;
}
