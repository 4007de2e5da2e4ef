import { Router, type Request, type Response } from 'express';
import { principalOf } from '../auth/principal.js';
import type { ResolvedTable, TableDictionary } from '../dictionary/dictionary.js';
import { requestScope } from '../domains/request-scope.js';
import { sendPage } from '../http/listing.js';
import { readListParams, readRecordParams } from './list-params.js';
import { paginationLinks } from './pagination.js';
import { readRecordWrite } from './record-input.js';
import type { RecordStore } from './record-store.js';
import { toApiRecord } from './record-view.js';
import { noSuchRecord, requestSysId, requestTable, type Access } from './request-table.js';

/** The Table API, in the original's shape: `/api/now/table/:table[/:sys_id]`. */
export function tableRoutes(dictionary: TableDictionary, records: RecordStore): Router {
  const router = Router();

  const tableFor = (req: Request<{ table: string }>, access: Access): ResolvedTable =>
    requestTable(req, dictionary, req.params.table, access, access === 'read' ? 'Reading' : 'Writing');

  router.get('/:table', async (req, res) => {
    const table = tableFor(req, 'read');
    const params = readListParams(req.query, table);
    const { records: page, total } = await records.list(table, params, requestScope(req));
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
    const sysId = requestSysId(req);
    const record = await records.get(table, sysId, requestScope(req));
    if (!record) throw noSuchRecord(table, sysId);
    res.json({ result: toApiRecord(record, table, fields) });
  });

  // As in the original, PUT and PATCH both update the fields they name.
  const update = async (req: Request<{ table: string; sys_id: string }>, res: Response) => {
    const table = tableFor(req, 'write');
    const { fields } = readRecordParams(req.query, table);
    const sysId = requestSysId(req);
    const write = readRecordWrite(req.body ?? {}, table);
    const caller = principalOf(req);
    // The store answers a record outside the caller's domain as missing, so its existence does not leak.
    const record = await records.update(table, sysId, write, caller);
    if (!record) throw noSuchRecord(table, sysId);
    res.json({ result: toApiRecord(record, table, fields) });
  };
  router.patch('/:table/:sys_id', update);
  router.put('/:table/:sys_id', update);

  router.delete('/:table/:sys_id', async (req, res) => {
    const table = tableFor(req, 'write');
    const sysId = requestSysId(req);
    const caller = principalOf(req);
    if (!(await records.delete(table, sysId, caller))) throw noSuchRecord(table, sysId);
    res.status(204).end();
  });

  return router;
}
