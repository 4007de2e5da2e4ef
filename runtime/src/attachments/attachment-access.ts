import type { Request } from 'express';
import { scopeOf } from '../domains/domain-scope.js';
import { requestScope } from '../domains/request-scope.js';
import { principalOf, requireRole } from '../auth/principal.js';
import { hasAnyRole, roles } from '../auth/roles.js';
import type { ResolvedTable, TableDictionary } from '../dictionary/dictionary.js';
import { notFound } from '../http/problem.js';
import type { RecordStore, StoredRecord } from '../table/record-store.js';
import { noSuchRecord, requestSysId, requestTable, type Access } from '../table/request-table.js';
import type { AttachmentStore, StoredAttachment } from './attachment-store.js';

/**
 * Who may do what with attachments: what the record they belong to allows.
 * Reading one takes its table's read role, adding or deleting one its
 * write role, and the record's domain must be the caller's or below it.
 * An attachment the caller may not see is answered as missing, as records
 * are, so its existence does not leak.
 */
export class AttachmentAccess {
  constructor(
    private readonly dictionary: TableDictionary,
    private readonly records: RecordStore,
    private readonly attachments: AttachmentStore,
  ) {}

  /** The record a file is being attached to, with its own table (an incident's, when attached through task). */
  async parent(req: Request, tableName: string, sysId: string): Promise<{ table: ResolvedTable; record: StoredRecord }> {
    const table = requestTable(req, this.dictionary, tableName, 'write', 'Attaching files to');
    const record = await this.records.get(table, sysId, requestScope(req));
    if (!record) throw noSuchRecord(table, sysId);
    return { table: this.dictionary.get(record.sys_class_name) ?? table, record };
  }

  async attachment(req: Request<{ sys_id: string }>, access: Access): Promise<StoredAttachment> {
    const sysId = requestSysId(req);
    const caller = principalOf(req);
    const attachment = await this.attachments.get(sysId);
    const missing = notFound('no-such-attachment', `there is no attachment with sys_id ${sysId}`);
    if (!attachment || !scopeOf(caller).sees(attachment.sys_domain)) throw missing;
    const table = this.dictionary.get(attachment.table_name);
    // One waiting on a correlation record for Move attachments: only admins see those.
    if (!table) {
      if (!caller.roles.includes(roles.admin)) throw missing;
      return attachment;
    }
    requireRole(req, table.roles[access], `${access === 'read' ? 'Reading' : 'Deleting'} attachments of ${table.name} records`);
    return attachment;
  }

  /** The tables whose attachments the caller may list. */
  readableTables(req: Request): string[] {
    const caller = principalOf(req);
    return this.dictionary
      .list()
      .filter((table) => hasAnyRole(caller.roles, table.roles.read))
      .map((table) => table.name);
  }
}
