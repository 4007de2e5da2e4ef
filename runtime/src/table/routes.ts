import { Router, type Request, type Response } from 'express';
import { domainCovers, withinDomain } from '../auth/domain-scope.js';
import { principalOf, requireRole, type Principal } from '../auth/principal.js';
import type { ResolvedTable, TableDictionary } from '../dictionary/dictionary.js';
import { badRequest, notFound } from '../http/problem.js';
import { sendPage } from '../http/listing.js';
import { idPattern } from '../store/ids.js';
import { readListParams, readRecordParams } from './list-params.js';
import { paginationLinks } from './pagination.js';
import { readRecordWrite } from './record-input.js';
import type { RecordStore, StoredRecord } from './record-store.js';
import { toApiRecord } from './record-view.js';

type Access = 'read' | 'write';

/** The Table API, in the original's shape: `/api/now/table/:table[/:sys_id]`. */
export function tableRoutes(dictionary: TableDictionary, records: RecordStore): Router {
  const router = Router();

  function tableFor(req: Request<{ table: string }>, access: Access): ResolvedTable {
    const table = dictionary.get(req.params.table);
    if (!table) {
      const known = dictionary.list().map((candidate) => candidate.name).join(', ');
      throw notFound('unknown-table', `there is no table ${req.params.table}; the tables are ${known}`);
    }
    requireRole(req, table.roles[access], `${access === 'read' ? 'Reading' : 'Writing'} ${table.name} records`);
    return table;
  }

  function sysIdOf(req: Request<{ sys_id: string }>): string {
    const sysId = req.params.sys_id;
    if (!idPattern.test(sysId)) throw badRequest('invalid-sys-id', `${sysId} is not a sys_id; a sys_id is 32 lower-case hex characters`);
    return sysId;
  }

  function found(record: StoredRecord | null, table: ResolvedTable, sysId: string): StoredRecord {
    if (!record) throw notFound('no-such-record', `there is no ${table.name} record with sys_id ${sysId}`);
    return record;
  }

  /**
   * Domain separation: a record outside the caller's domain and those below
   * it is answered as missing, so its existence does not leak. A global
   * caller sees all, with no read first.
   */
  async function checkVisible(table: ResolvedTable, sysId: string, caller: Principal): Promise<void> {
    if (caller.domain === 'global') return;
    const record = await records.get(table, sysId);
    if (!record || !domainCovers(caller.domain, record.sys_domain)) found(null, table, sysId);
  }

  router.get('/:table', async (req, res) => {
    const table = tableFor(req, 'read');
    const params = readListParams(req.query, table);
    const { records: page, total } = await records.list(table, { ...params, filter: withinDomain(params.filter, principalOf(req).domain) });
    if (params.paginationHeader) res.setHeader('Link', paginationLinks(req, params.offset, params.limit, total));
    sendPage(res, page.map((record) => toApiRecord(record, table, params.fields)), total);
  });

  router.post('/:table', async (req, res) => {
    const table = tableFor(req, 'write');
    const { fields } = readRecordParams(req.query, table);
    const record = await records.create(table, readRecordWrite(req.body ?? {}, table), principalOf(req));
    res
      .status(201)
      .location(`${req.baseUrl}/${table.name}/${record.sys_id}`)
      .json({ result: toApiRecord(record, table, fields) });
  });

  router.get('/:table/:sys_id', async (req, res) => {
    const table = tableFor(req, 'read');
    const { fields } = readRecordParams(req.query, table);
    const sysId = sysIdOf(req);
    const record = found(await records.get(table, sysId), table, sysId);
    if (!domainCovers(principalOf(req).domain, record.sys_domain)) found(null, table, sysId);
    res.json({ result: toApiRecord(record, table, fields) });
  });

  // As in the original, PUT and PATCH both update the fields they name.
  const update = async (req: Request<{ table: string; sys_id: string }>, res: Response) => {
    const table = tableFor(req, 'write');
    const { fields } = readRecordParams(req.query, table);
    const sysId = sysIdOf(req);
    const write = readRecordWrite(req.body ?? {}, table);
    const caller = principalOf(req);
    await checkVisible(table, sysId, caller);
    const record = await records.update(table, sysId, write, caller);
    res.json({ result: toApiRecord(found(record, table, sysId), table, fields) });
  };
  router.patch('/:table/:sys_id', update);
  router.put('/:table/:sys_id', update);

  router.delete('/:table/:sys_id', async (req, res) => {
    const table = tableFor(req, 'write');
    const sysId = sysIdOf(req);
    const caller = principalOf(req);
    await checkVisible(table, sysId, caller);
    if (!(await records.delete(table, sysId, caller))) found(null, table, sysId);
    res.status(204).end();
  });

  return router;
}
