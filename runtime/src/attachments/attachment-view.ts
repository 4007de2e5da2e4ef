import { TableDictionary, type ResolvedTable } from '../dictionary/dictionary.js';
import { toApiRecord, type ApiRecord } from '../table/record-view.js';
import { ATTACHMENT_TABLE, type StoredAttachment } from './attachment-store.js';

/**
 * `sys_attachment` as the Attachment API lists and filters it. It is not a
 * Table API table (records there are written with their content, here), but
 * its fields are dictionary fields so that list queries (`sysparm_query`,
 * `sysparm_fields`, paging) are read exactly as the Table API reads them.
 */
export const attachmentTable: ResolvedTable = new TableDictionary([
  {
    name: ATTACHMENT_TABLE,
    label: 'Attachment',
    // Access follows the record each attachment belongs to (attachment-access.ts), not these.
    roles: { read: ['admin'], write: ['admin'] },
    fields: [
      { name: 'file_name', label: 'File name', type: 'string', maxLength: 255 },
      { name: 'content_type', label: 'Content type', type: 'string' },
      { name: 'size_bytes', label: 'Size (bytes)', type: 'integer' },
      { name: 'hash', label: 'SHA-256', type: 'string', maxLength: 64 },
      { name: 'table_name', label: 'Table name', type: 'string' },
      { name: 'table_sys_id', label: 'Table sys ID', type: 'string', maxLength: 32 },
      { name: 'download_link', label: 'Download link', type: 'string', readOnly: true },
    ],
  },
]).get(ATTACHMENT_TABLE) as ResolvedTable;

/** The metadata as the API returns it, with the absolute link its content downloads from, under the instance's public URL. */
export function toApiAttachment(attachment: StoredAttachment, publicUrl: string, fields?: readonly string[]): ApiRecord {
  const link = `${publicUrl}/api/now/attachment/${attachment.sys_id}/file`;
  return toApiRecord({ ...attachment, download_link: link }, attachmentTable, fields);
}
