import type { Readable } from 'node:stream';
import {
  attachmentCompleteAnswerSchema,
  attachmentRequestAnswerSchema,
  sha256Hex,
  type AttachmentFile,
  type AttachmentReceipt,
  type AttachmentRequest,
  type AttachmentRequestAnswer,
  type PeerPair,
} from '@lockstep/schema';
import { z } from 'zod';
import type { StoredRemoteSystem } from '../config/sync-config-store.js';
import type { PeerCallResult, PeerClient } from '../peer/peer-client.js';

const contentAnswerSchema = z.strictObject({ sha256: sha256Hex, size: z.number().int().min(0) });

/**
 * The attachment exchange's calls to a peer, each authenticated as the
 * peer's inbound API user and signed as the inbound API is, through the
 * remote system's connection: a request (receiver to originator), and the
 * content and the completion (originator to receiver).
 */
export class AttachmentPeer {
  constructor(
    /** Its own client, with a timeout long enough for a large file. */
    private readonly peers: PeerClient,
    private readonly instanceName: string,
  ) {}

  request(remote: StoredRemoteSystem, correlation: string, attachments: AttachmentRequest['attachments'], signal?: AbortSignal): Promise<PeerCallResult<AttachmentRequestAnswer>> {
    return this.peers.attachmentCall(remote, 'attachments/request', { ...this.pair(remote), correlation, attachments }, attachmentRequestAnswerSchema, signal);
  }

  push(remote: StoredRemoteSystem, correlation: string, file: { sha256: string; size: number }, content: Readable, signal?: AbortSignal): Promise<PeerCallResult<unknown>> {
    const query = new URLSearchParams({ ...this.pair(remote), correlation, sha256: file.sha256, size: String(file.size) });
    return this.peers.uploadContent(remote, query, content, contentAnswerSchema, signal);
  }

  complete(remote: StoredRemoteSystem, correlation: string, attachments: AttachmentFile[], signal?: AbortSignal): Promise<PeerCallResult<AttachmentReceipt[]>> {
    return this.peers.attachmentCall(remote, 'attachments/complete', { ...this.pair(remote), correlation, attachments }, attachmentCompleteAnswerSchema, signal);
  }

  /** The two records the call is between, as the peer checks them (requirePairedRemote). */
  private pair(remote: StoredRemoteSystem): PeerPair {
    if (remote.external_id === null) throw new Error(`remote system ${remote.name} has no external id; set it, then Validate and Activate`);
    return { remote_system: remote.external_id, source_remote_system: remote._id, instance: this.instanceName };
  }
}
