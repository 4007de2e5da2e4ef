import {
  attachmentRowSchema,
  attachmentUploadQuerySchema,
  attachmentViewSchema,
  pageOf,
  resultOf,
  sysId,
  tableListParamsSchema,
  tableRecordParamsSchema,
  tableRecordSchema,
} from '@lockstep/schema';
import { z } from 'zod';
import { binary, linksTo, locationHeader, totalCountHeader, type Operation } from './openapi-operation.js';

/** The Table API and the Attachment API, in the original's shapes. `tables` are the dictionary's, for the `{table}` parameter. */
export function tableOperations(tables: readonly [string, ...string[]]): Operation[] {
  const table = z.strictObject({ table: z.enum(tables) });
  const tableRecord = z.strictObject({ table: z.enum(tables), sys_id: sysId });
  const linkHeader = { Link: { description: 'RFC 8288 links to the first, previous, next and last pages', schema: z.string() } };
  const one = { description: 'The record', body: resultOf(tableRecordSchema) };
  const update = (method: 'put' | 'patch'): Operation => ({
    method,
    path: '/api/now/table/{table}/{sys_id}',
    tag: 'Table API',
    summary: `Update the fields the body names (${method.toUpperCase()} and ${method === 'put' ? 'PATCH' : 'PUT'} do the same)`,
    params: tableRecord,
    query: tableRecordParamsSchema,
    body: tableRecordSchema,
    responses: { 200: one },
  });
  const attachment = z.strictObject({ sys_id: sysId });
  return [
    {
      method: 'get',
      path: '/api/now/table/{table}',
      tag: 'Table API',
      summary: 'List records',
      description: 'Besides the sysparm_ parameters, any `field=value` parameter is an equality condition on that field.',
      params: table,
      query: tableListParamsSchema,
      responses: { 200: { description: 'A page of records', body: pageOf(tableRecordSchema), headers: { ...totalCountHeader, ...linkHeader } } },
    },
    {
      method: 'post',
      path: '/api/now/table/{table}',
      tag: 'Table API',
      summary: 'Create a record',
      params: table,
      query: tableRecordParamsSchema,
      body: tableRecordSchema,
      responses: {
        201: {
          ...one,
          headers: locationHeader,
          links: linksTo('/api/now/table/{table}/{sys_id}', ['get', 'put', 'patch', 'delete'], { table: '$request.path.table', sys_id: '$response.body#/result/sys_id' }),
        },
      },
    },
    { method: 'get', path: '/api/now/table/{table}/{sys_id}', tag: 'Table API', summary: 'Read a record', params: tableRecord, query: tableRecordParamsSchema, responses: { 200: one } },
    update('put'),
    update('patch'),
    { method: 'delete', path: '/api/now/table/{table}/{sys_id}', tag: 'Table API', summary: 'Delete a record', params: tableRecord, responses: { 204: { description: 'Deleted' } } },
    {
      method: 'post',
      path: '/api/now/attachment/file',
      tag: 'Attachment API',
      summary: "Attach a file to a record: the body is the file's bytes, its Content-Type the file's type",
      query: attachmentUploadQuerySchema.extend({ table_name: z.enum(tables) }),
      body: binary,
      responses: {
        201: {
          description: "The attachment's metadata",
          body: resultOf(attachmentViewSchema),
          headers: locationHeader,
          links: [
            ...linksTo('/api/now/attachment/{sys_id}', ['get', 'delete'], { sys_id: '$response.body#/result/sys_id' }),
            ...linksTo('/api/now/attachment/{sys_id}/file', ['get'], { sys_id: '$response.body#/result/sys_id' }),
          ],
        },
        415: { description: 'Refused: an executable, content that is not what its name or type says, or an extension not allowed; nothing was stored' },
      },
    },
    {
      method: 'get',
      path: '/api/now/attachment',
      tag: 'Attachment API',
      summary: 'List the attachments of records the caller may read',
      description: 'Filtered and paged as the Table API, e.g. sysparm_query=table_name=incident^table_sys_id=….',
      query: tableListParamsSchema,
      responses: { 200: { description: 'A page of attachments', body: pageOf(attachmentRowSchema), headers: { ...totalCountHeader, ...linkHeader } } },
    },
    { method: 'get', path: '/api/now/attachment/{sys_id}', tag: 'Attachment API', summary: "Read an attachment's metadata", params: attachment, responses: { 200: { description: 'The metadata', body: resultOf(attachmentViewSchema) } } },
    { method: 'get', path: '/api/now/attachment/{sys_id}/file', tag: 'Attachment API', summary: "Download an attachment's content", params: attachment, responses: { 200: { description: 'The file, in its stored type', body: binary } } },
    { method: 'delete', path: '/api/now/attachment/{sys_id}', tag: 'Attachment API', summary: 'Delete an attachment', params: attachment, responses: { 204: { description: 'Deleted' } } },
  ];
}
