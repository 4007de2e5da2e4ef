import { attachmentViewSchema, type AttachmentView } from '@lockstep/schema';
import { sessionHeaders, problemOf } from './client';
import { fetchPage } from './paged';
import { inTime } from './timeout';

/** Attachment metadata, in the original's shape. */
export type Attachment = AttachmentView;

const BASE = '/api/now/attachment';
/** A file's bytes take longer than an answer: a large one on a slow line is still moving after minutes. */
const FILE_TIMEOUT_MS = 10 * 60_000;

export const attachmentApi = {
  list: (table: string, sysId: string) => fetchPage(attachmentViewSchema, `/now/attachment?sysparm_query=${encodeURIComponent(`table_name=${table}^table_sys_id=${sysId}`)}`),
  /** The file's bytes; a plain link cannot send the tab's bearer token. */
  download: (attachment: Attachment): Promise<Blob> =>
    inTime(async (signal) => {
      const response = await fetch(`${BASE}/${encodeURIComponent(attachment.sys_id)}/file`, { headers: sessionHeaders(), signal });
      if (!response.ok) throw problemOf(response, await response.text());
      return response.blob();
    }, FILE_TIMEOUT_MS),
  upload: (table: string, sysId: string, file: File): Promise<void> =>
    inTime(async (signal) => {
      const query = new URLSearchParams({ table_name: table, table_sys_id: sysId, file_name: file.name }).toString();
      const response = await fetch(`${BASE}/file?${query}`, {
        method: 'POST',
        headers: { ...sessionHeaders(), Accept: 'application/json', 'Content-Type': file.type || 'application/octet-stream' },
        body: file,
        signal,
      });
      if (!response.ok) throw problemOf(response, await response.text());
    }, FILE_TIMEOUT_MS),
};
