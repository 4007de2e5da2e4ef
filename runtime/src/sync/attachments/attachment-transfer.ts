import type { AttachmentFile, AttachmentReceipt, AttachmentRequest, AttachmentRequestAnswer } from '@lockstep/schema';
import type { Logger } from 'pino';
import type { AttachmentStore, StoredAttachment } from '../../attachments/attachment-store.js';
import { ProblemError } from '../../http/problem.js';
import type { StoredRemoteSystem } from '../config/sync-config-store.js';
import type { PeerCallResult } from '../peer/peer-client.js';
import type { AttachmentKeys } from './attachment-keys.js';
import type { AttachmentPeer } from './attachment-peer.js';

export interface AttachmentTransferParts {
  attachments: AttachmentStore;
  keys: AttachmentKeys;
  peer: AttachmentPeer;
  logger: Logger;
}

interface Wanted {
  key: string;
  needContent: boolean;
  attachment: StoredAttachment | null;
}

/** A call to the receiver that failed as a whole: the request fails with it, saying why. */
function peerFailure(what: string, result: Exclude<PeerCallResult<unknown>, { outcome: 'accepted' }>): ProblemError {
  return new ProblemError(502, 'peer-failed', 'Bad gateway', `${what} failed: ${result.message}`);
}

/**
 * The originator's side of the exchange. Every key of a request is checked
 * before anything is sent: one that is altered, expired, or issued for
 * another remote system refuses the whole request (403). Then the content
 * the receiver lacks is pushed to its correlation record, one file at a
 * time, streamed from the store; then the attachments are completed, and
 * the receiver's receipts are the answer.
 */
export class AttachmentTransfer {
  constructor(private readonly parts: AttachmentTransferParts) {}

  async serve(remote: StoredRemoteSystem, request: AttachmentRequest, signal: AbortSignal): Promise<AttachmentRequestAnswer> {
    const wanted = await this.checkKeys(remote, request);
    const receipts: AttachmentReceipt[] = [];
    const complete: AttachmentFile[] = [];
    const pushed = new Set<string>();
    let bytesSent = 0;
    for (const { needContent, attachment } of wanted) {
      if (!attachment) continue;
      const file = { sha256: attachment.hash, file_name: attachment.file_name, content_type: attachment.content_type, size: attachment.size_bytes };
      // The same content twice in one request (one file under two names) goes once.
      if (needContent && !pushed.has(file.sha256)) {
        const refusal = await this.push(remote, request.correlation, file, signal);
        if (refusal !== null) {
          receipts.push({ sha256: file.sha256, file_name: file.file_name, status: 'refused', reason: refusal });
          continue;
        }
        pushed.add(file.sha256);
        bytesSent += file.size;
      }
      complete.push(file);
    }
    if (complete.length > 0) {
      const answer = await this.parts.peer.complete(remote, request.correlation, complete, signal);
      if (answer.outcome !== 'accepted') throw peerFailure('completing the attachments', answer);
      receipts.push(...answer.result);
    }
    const gone = wanted.filter((item) => item.attachment === null).map((item) => item.key);
    return { content_sent: pushed.size, bytes_sent: bytesSent, receipts, gone };
  }

  private async checkKeys(remote: StoredRemoteSystem, request: AttachmentRequest): Promise<Wanted[]> {
    const refused = (index: number, reason: string) => new ProblemError(403, 'attachment-key-refused', 'Forbidden', `attachments.${index}.key is refused: ${reason}`);
    const scopes = request.attachments.map(({ key }, index) => {
      const check = this.parts.keys.open(key);
      if (!check.ok) throw refused(index, check.reason);
      if (check.scope.remoteSystem !== remote._id) throw refused(index, 'it was issued for another remote system');
      return check.scope;
    });
    // An attachment deleted here since it was offered is reported gone; deleting it here does not delete it there.
    const found = await this.parts.attachments.getMany(scopes.map((scope) => scope.attachment));
    return request.attachments.map(({ key, need_content }, index) => ({ key, needContent: need_content, attachment: found.get(scopes[index]!.attachment) ?? null }));
  }

  /** Null once the receiver has the content; else why it refused it. */
  private async push(remote: StoredRemoteSystem, correlation: string, file: AttachmentFile, signal: AbortSignal): Promise<string | null> {
    const started = Date.now();
    const content = await this.parts.attachments.content.open(file.sha256);
    let answer: PeerCallResult<unknown>;
    try {
      answer = await this.parts.peer.push(remote, correlation, file, content, signal);
    } finally {
      content.destroy();
    }
    if (answer.outcome === 'rejected' && answer.fault === 'data') return answer.message;
    if (answer.outcome !== 'accepted') throw peerFailure(`pushing ${file.file_name}`, answer);
    this.parts.logger.info({ sha256: file.sha256, size: file.size, remoteSystem: remote._id, ms: Date.now() - started }, 'attachment content pushed');
    return null;
  }
}
