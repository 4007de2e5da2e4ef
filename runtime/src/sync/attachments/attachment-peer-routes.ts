import { attachmentCompleteSchema, attachmentContentQuerySchema, attachmentRequestSchema } from '@lockstep/schema';
import { Router } from 'express';
import { executableRefusal, fileCap, refusalProblem, type AttachmentLimits } from '../../attachments/attachment-limits.js';
import type { AttachmentStore } from '../../attachments/attachment-store.js';
import { receiveRequestBody } from '../../attachments/request-body.js';
import { parseBody, parseQueryParams } from '../../http/parse.js';
import { notFound, ProblemError } from '../../http/problem.js';
import type { StoredRemoteSystem, SyncConfigStore } from '../config/sync-config-store.js';
import type { CorrelationStore, StoredCorrelation } from '../correlation/correlation-store.js';
import { requirePairedRemote, requirePeerApiRole, requireSignedFor } from '../peer/peer-caller.js';
import type { AttachmentReceiver } from './attachment-receiver.js';
import type { AttachmentTransfer } from './attachment-transfer.js';

export interface AttachmentPeerRouteParts {
  config: SyncConfigStore;
  correlations: CorrelationStore;
  attachments: AttachmentStore;
  limits: AttachmentLimits;
  transfer: AttachmentTransfer;
  receiver: AttachmentReceiver;
  instanceName: string;
}

/** Content and completions go to a correlation record this instance keeps with the calling remote system, and nowhere else. */
async function correlationWith(correlations: CorrelationStore, id: string, remote: StoredRemoteSystem): Promise<StoredCorrelation> {
  const correlation = await correlations.get(id);
  if (!correlation || correlation.remote_system !== remote._id) {
    throw notFound('unknown-correlation', `there is no correlation ${id} with remote system ${remote.name} here; attachments go to the correlation record of the record they belong to`);
  }
  return correlation;
}

/**
 * The peer API of the attachment exchange, under `/api/sync/v1/attachments`:
 * `request` (this instance as originator), and `content` and `complete`
 * (this instance as receiver). Callers authenticate as the inbound API user
 * of the remote system record for them, and sign as envelopes are signed.
 */
export function attachmentPeerRoutes(parts: AttachmentPeerRouteParts): Router {
  const { config, correlations, attachments, limits, instanceName } = parts;
  const router = Router();

  router.post('/request', async (req, res) => {
    const caller = requirePeerApiRole(req);
    const request = parseBody(attachmentRequestSchema, req.body);
    const remote = await requirePairedRemote(config, instanceName, caller, request);
    requireSignedFor(req, remote);
    // The receiver gave up (its step timed out, say): stop pushing to it.
    const abandoned = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abandoned.abort();
    });
    const answer = await parts.transfer.serve(remote, request, abandoned.signal);
    req.log.info({ remoteSystem: remote._id, requested: request.attachments.length, contentSent: answer.content_sent, bytesSent: answer.bytes_sent }, 'attachment request served');
    res.json({ result: answer });
  });

  router.put('/content', async (req, res) => {
    const caller = requirePeerApiRole(req);
    const query = parseQueryParams(attachmentContentQuerySchema, req.query);
    const remote = await requirePairedRemote(config, instanceName, caller, query);
    // The signature covers the URL, whose query names the content's hash and size; the bytes are checked against both below.
    requireSignedFor(req, remote, `PUT ${req.originalUrl}`);
    await correlationWith(correlations, query.correlation, remote);
    const received = await receiveRequestBody(req, res, attachments.content, fileCap(limits));
    if (received.sha256 !== query.sha256 || received.size !== query.size) {
      await received.incoming.discard();
      throw new ProblemError(422, 'content-mismatch', 'Unprocessable content', `the content received is ${received.size} bytes with sha256 ${received.sha256}, not the ${query.size} bytes with sha256 ${query.sha256} announced; it was not kept`);
    }
    // The name and type come with the completion, and are checked then; an executable is refused whatever they will say.
    const executable = executableRefusal(received.sniffed);
    if (executable) {
      await received.incoming.discard();
      throw refusalProblem(executable);
    }
    await attachments.content.exclusive(received.sha256, () => attachments.content.keep(received, 'pending'));
    req.log.info({ sha256: received.sha256, size: received.size, remoteSystem: remote._id }, 'attachment content received');
    res.status(201).json({ result: { sha256: received.sha256, size: received.size } });
  });

  router.post('/complete', async (req, res) => {
    const caller = requirePeerApiRole(req);
    const completion = parseBody(attachmentCompleteSchema, req.body);
    const remote = await requirePairedRemote(config, instanceName, caller, completion);
    requireSignedFor(req, remote);
    const correlation = await correlationWith(correlations, completion.correlation, remote);
    const receipts = await parts.receiver.complete(remote, correlation, completion.attachments, caller.userName);
    req.log.info({ remoteSystem: remote._id, correlation: correlation._id, staged: receipts.filter((receipt) => receipt.status === 'staged').length }, 'attachments completed');
    res.json({ result: receipts });
  });

  return router;
}
