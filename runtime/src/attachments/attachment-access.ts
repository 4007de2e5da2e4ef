import type { Request } from 'express';
import { domainCovers } from '../auth/domain-scope.js';
import { principalOf, requireRole } from '../auth/principal.js';
import { hasAnyRole, roles } from '../auth/roles.js';
import type { ResolvedTable, TableDictionary } from '../dictionary/dictionary.js';
import { badRequest, notFound } from '../http/problem.js';
import { idPattern } from '../store/ids.js';
import type { RecordStore, StoredRecord } from '../table/record-store.js';
import type { AttachmentStore, StoredAttachment } from './attachment-store.js';

type Access = 'read' | 'write';

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
    const table = this.dictionary.get(tableName);
    if (!table) {
      const known = this.dictionary.list().map((candidate) => candidate.name).join(', ');
      throw notFound('unknown-table', `there is no table ${tableName}; files attach to records of ${known}`);
    }
    requireRole(req, table.roles.write, `Attaching files to ${table.name} records`);
    const record = await this.records.get(table, sysId);
    if (!record || !domainCovers(principalOf(req).domain, record.sys_domain)) {
      throw notFound('no-such-record', `there is no ${table.name} record with sys_id ${sysId}`);
    }
    return { table: this.dictionary.get(record.sys_class_name) ?? table, record };
  }

  async attachment(req: Request<{ sys_id: string }>, access: Access): Promise<StoredAttachment> {
    const sysId = req.params.sys_id;
    if (!idPattern.test(sysId)) throw badRequest('invalid-sys-id', `${sysId} is not a sys_id; a sys_id is 32 lower-case hex characters`);
    const caller = principalOf(req);
    const attachment = await this.attachments.get(sysId);
    const missing = notFound('no-such-attachment', `there is no attachment with sys_id ${sysId}`);
    if (!attachment || !domainCovers(caller.domain, attachment.sys_domain)) throw missing;
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
