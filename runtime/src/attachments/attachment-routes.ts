import { pipeline } from 'node:stream/promises';
import { attachmentUploadQuerySchema } from '@lockstep/schema';
import { Router, type Request } from 'express';
import { requestScope } from '../domains/request-scope.js';
import { principalOf } from '../auth/principal.js';
import { sendPage } from '../http/listing.js';
import { parseQueryParams } from '../http/parse.js';
import { ProblemError } from '../http/problem.js';
import type { Filter } from '@lockstep/store';
import type { AttachmentTrigger } from '../sync/attachments/attachment-trigger.js';
import type { AttachmentOffers } from '../sync/attachments/attachment-offers.js';
import { readListParams } from '../table/list-params.js';
import { paginationLinks } from '../table/pagination.js';
import type { AttachmentAccess } from './attachment-access.js';
import { contentRefusal, nameRefusal, refusalProblem, type AttachmentLimits } from './attachment-limits.js';
import type { AttachmentStore } from './attachment-store.js';
import { attachmentTable, toApiAttachment } from './attachment-view.js';
import { canonicalType } from './content-type.js';
import { contentDisposition } from './file-names.js';
import type { RecordQuota } from './record-quota.js';
import { receiveRequestBody } from './request-body.js';

export interface AttachmentApiParts {
  attachments: AttachmentStore;
  access: AttachmentAccess;
  limits: AttachmentLimits;
  quota: RecordQuota;
  trigger: AttachmentTrigger;
  offers: AttachmentOffers;
  /** The base URL of the links answers carry: configured, never the request's Host header, which the caller chooses. */
  publicUrl: () => string;
}

/** The file's type, which the original takes from the upload's Content-Type. */
function declaredType(req: Request): string {
  const type = req.headers['content-type']?.trim() ?? '';
  if (!/^[\w.+-]+\/[\w.+-]+/.test(type)) {
    throw new ProblemError(415, 'missing-content-type', 'Unsupported media type', "send the file's type as the request's Content-Type, e.g. application/pdf, image/png or text/plain");
  }
  return type;
}

/**
 * The Attachment API, in the original's shape, under `/api/now/attachment`:
 * upload a file's bytes as the body of `POST /file`, read metadata, list,
 * download, delete. Bodies stream to the content store as they arrive.
 */
export function attachmentRoutes({ attachments, access, limits, quota, trigger, offers, publicUrl }: AttachmentApiParts): Router {
  const router = Router();

  router.post('/file', async (req, res) => {
    const query = parseQueryParams(attachmentUploadQuerySchema, req.query);
    const { table, record } = await access.parent(req, query.table_name, query.table_sys_id);
    const contentType = declaredType(req);
    const badName = nameRefusal(query.file_name, limits);
    if (badName) throw refusalProblem(badName);
    // Before any byte is read: a full record refuses at once, and the file streams in only as far as the record has room.
    const usage = await quota.usage([record.sys_id]);
    const full = quota.refusal(usage);
    if (full) throw refusalProblem(full);
    const received = await receiveRequestBody(req, res, attachments.content, quota.cap(usage));
    const caller = principalOf(req);
    const attachment = await quota.exclusive(record.sys_id, async () => {
      // Again with the size known, and with no other upload to the record in between.
      const refusal = contentRefusal({ fileName: query.file_name, contentType }, received.sniffed) ?? quota.refusal(await quota.usage([record.sys_id]), received.size);
      if (refusal) {
        await received.incoming.discard();
        throw refusalProblem(refusal);
      }
      return attachments.add(received, {
        tableName: table.name,
        tableSysId: record.sys_id,
        fileName: query.file_name,
        contentType: canonicalType(contentType),
        domain: record.sys_domain,
        createdBy: caller.userName,
        receivedFrom: null,
      });
    });
    try {
      await trigger.attached(table, record, caller);
    } catch (error) {
      // The file is stored; the record's next captured change offers it instead.
      req.log.warn({ err: error, attachment: attachment.sys_id }, 'the attachment is stored, but its record could not be updated to sync it now');
    }
    req.log.info({ attachment: attachment.sys_id, table: table.name, record: record.sys_id, size: attachment.size_bytes }, 'attachment added');
    res.status(201).location(`${req.baseUrl}/${attachment.sys_id}`).json({ result: toApiAttachment(attachment, publicUrl()) });
  });

  // As the original lists them: `?sysparm_query=table_name=incident^table_sys_id=…`, paged like the Table API.
  router.get('/', async (req, res) => {
    const params = readListParams(req.query, attachmentTable);
    const readable: Filter = { table_name: { $in: access.readableTables(req) } };
    const filter = requestScope(req).visible(Object.keys(params.filter).length === 0 ? readable : { $and: [readable, params.filter] });
    const sort = Object.keys(params.sort).length === 0 ? { sys_created_on: 1 as const } : params.sort;
    const { attachments: page, total } = await attachments.list({ filter, sort, limit: params.limit, offset: params.offset });
    if (params.paginationHeader) res.setHeader('Link', paginationLinks(req, params.offset, params.limit, total));
    sendPage(res, page.map((attachment) => toApiAttachment(attachment, publicUrl(), params.fields)), total);
  });

  router.get('/:sys_id', async (req, res) => {
    res.json({ result: toApiAttachment(await access.attachment(req, 'read'), publicUrl()) });
  });

  router.get('/:sys_id/file', async (req, res) => {
    const attachment = await access.attachment(req, 'read');
    const content = await attachments.content.open(attachment.hash);
    const headers = {
      // As stored: Express's res.type would add a charset the upload did not state.
      'Content-Type': attachment.content_type,
      'Content-Length': String(attachment.size_bytes),
      'Content-Disposition': contentDisposition(attachment.file_name),
      ETag: `"${attachment.hash}"`,
      // The content is the uploader's: a browser must neither guess another type nor run it as a page of this site.
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
    };
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    try {
      await pipeline(content, res);
    } catch (error) {
      // The client went away mid-download: nothing to answer.
      if ((error as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE') return;
      throw error;
    }
  });

  // The remote copies stay: what a receiving instance does with a deleted attachment is its own decision.
  router.delete('/:sys_id', async (req, res) => {
    const attachment = await access.attachment(req, 'write');
    await attachments.delete(attachment);
    await offers.forget(attachment._id);
    req.log.info({ attachment: attachment.sys_id }, 'attachment deleted');
    res.status(204).end();
  });

  return router;
}
