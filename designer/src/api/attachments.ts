import { z } from 'zod';
import { sessionHeaders, problemOf } from './client';
import { fetchPage } from './paged';

/** Attachment metadata, in the original's shape. */
export const attachmentSchema = z.object({
  sys_id: z.string(),
  file_name: z.string(),
  content_type: z.string().nullish(),
  size_bytes: z.number().nullish(),
  sys_created_on: z.string().nullish(),
  sys_created_by: z.string().nullish(),
});
export type Attachment = z.infer<typeof attachmentSchema>;

const BASE = '/api/now/attachment';

export const attachmentApi = {
  list: (table: string, sysId: string) => fetchPage(attachmentSchema, `/now/attachment?sysparm_query=${encodeURIComponent(`table_name=${table}^table_sys_id=${sysId}`)}`),
  /** The file's bytes; a plain link cannot send the tab's bearer token. */
  download: async (attachment: Attachment): Promise<Blob> => {
    const response = await fetch(`${BASE}/${encodeURIComponent(attachment.sys_id)}/file`, { headers: sessionHeaders() });
    if (!response.ok) throw await problemOf(response);
    return response.blob();
  },
  upload: async (table: string, sysId: string, file: File): Promise<void> => {
    const query = new URLSearchParams({ table_name: table, table_sys_id: sysId, file_name: file.name }).toString();
    const response = await fetch(`${BASE}/file?${query}`, {
      method: 'POST',
      headers: { ...sessionHeaders(), Accept: 'application/json', 'Content-Type': file.type || 'application/octet-stream' },
      body: file,
    });
    if (!response.ok) throw await problemOf(response);
  },
};
