import type { Readable } from 'node:stream';
import type { SyncEnvelope } from '@lockstep/schema';
import type { z } from 'zod';
import { OutboundRefusal, type OutboundGuard } from '../../net/outbound-guard.js';
import { outboundRequest } from '../../net/outbound-request.js';
import type { StoredRemoteSystem } from '../config/sync-config-store.js';
import { handshakeAnswerSchema, inboundAnswerSchema, inboundBatchAnswerSchema, type HandshakeAnswer, type HandshakeRequest, type InboundAnswer } from '@lockstep/schema';
import { classifyAnswer, classifyRefusedEnvelope, type PeerCallResult, type PeerRequestKind, type RemoteTaskRequestKind } from './peer-outcome.js';
import { SIGNATURE_HEADER, signRequest, TIMESTAMP_HEADER } from './signature.js';

export type { PeerCallResult } from './peer-outcome.js';

export interface PeerClientOptions {
  /** How long a call may take, answer included. @default 10_000 */
  timeoutMs?: number;
  /** What every call passes first: a base URL may not point inside this instance's network unless allow-listed. */
  outbound: OutboundGuard;
}

/** Where a record's connection points, without any credentials a URL could carry. */
function peerAddress(base: URL): string {
  return `${base.origin}${base.pathname.replace(/\/+$/, '')}`;
}

/**
 * Calls a peer's sync API for the outbound side, for Validate and Activate
 * and for attachment transfers. It only ever calls the base URL of a remote
 * system record (there is no way to hand it another URL), through the
 * outbound guard, and never follows a redirect.
 */
export class PeerClient {
  private readonly timeoutMs: number;
  private readonly outbound: OutboundGuard;

  constructor(options: PeerClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.outbound = options.outbound;
  }

  /** Delivers one envelope to the peer's inbound queue; `json` is the envelope as JSON, when the caller has it already. */
  send(remote: StoredRemoteSystem, envelope: SyncEnvelope, json: string = JSON.stringify(envelope)): Promise<PeerCallResult<InboundAnswer>> {
    return this.postJson(remote, 'inbound', json, inboundAnswerSchema);
  }

  /**
   * Delivers several envelopes in one request to the peer's batch inbound
   * API: one answer per envelope, in their order, each as `send` would have
   * answered it alone. A failure of the request itself is every envelope's.
   */
  async sendBatch(remote: StoredRemoteSystem, envelopes: SyncEnvelope[], jsons: string[] = envelopes.map((envelope) => JSON.stringify(envelope))): Promise<PeerCallResult<InboundAnswer>[]> {
    // Joined as text: each envelope was turned into JSON once, when it was handed over.
    const answer = await this.postJson(remote, 'inbound/batch', `{"envelopes":[${jsons.join(',')}]}`, inboundBatchAnswerSchema);
    if (answer.outcome !== 'accepted') return envelopes.map(() => answer);
    const address = peerAddress(new URL(remote.connection.base_url));
    return envelopes.map((envelope, index): PeerCallResult<InboundAnswer> => {
      const one = answer.result[index];
      if (one?.status === 'refused') return classifyRefusedEnvelope(one.problem, { address, userName: remote.connection.user_name, kind: 'inbound' });
      if (one?.id === envelope.id) return { outcome: 'accepted', status: 202, result: one };
      return {
        outcome: 'rejected',
        status: answer.status,
        fault: 'connection',
        retryable: false,
        message: `the peer at ${address} answered the envelope batch out of order or in part; check that it runs the same Lockstep version as this instance`,
      };
    });
  }

  /** Asks the peer whether its record for this instance pairs with `remote`. */
  handshake(remote: StoredRemoteSystem, request: HandshakeRequest): Promise<PeerCallResult<HandshakeAnswer>> {
    return this.post(remote, 'handshake', request, handshakeAnswerSchema);
  }

  /**
   * Calls one of the peer's attachment routes with a JSON body (a request
   * for attachments, or their completion); see AttachmentPeer.
   */
  attachmentCall<T>(remote: StoredRemoteSystem, kind: 'attachments/request' | 'attachments/complete', body: unknown, answerSchema: z.ZodType<T>, signal?: AbortSignal): Promise<PeerCallResult<T>> {
    return this.post(remote, kind, body, answerSchema, signal);
  }

  /** Asks a provider for its catalog, a definition's revision, or whether it takes a new remote task; see remote-tasks/provider-peer-routes. */
  remoteTaskCall<T>(remote: StoredRemoteSystem, kind: RemoteTaskRequestKind, body: unknown, answerSchema: z.ZodType<T>): Promise<PeerCallResult<T>> {
    return this.post(remote, kind, body, answerSchema);
  }

  /**
   * Streams `content` to the peer's attachment content route. The body is
   * too large to sign, so the signature covers the method and the URL, whose
   * query names the content's sha256 and size; the peer checks the bytes
   * against those as they arrive.
   */
  uploadContent<T>(remote: StoredRemoteSystem, query: URLSearchParams, content: Readable, answerSchema: z.ZodType<T>, signal?: AbortSignal): Promise<PeerCallResult<T>> {
    const path = `/api/sync/v1/attachments/content?${query.toString()}`;
    return this.call(remote, 'attachments/content', { method: 'PUT', path, contentType: 'application/octet-stream', body: content, signed: `PUT ${path}` }, answerSchema, signal);
  }

  private post<T>(remote: StoredRemoteSystem, kind: PeerRequestKind, body: unknown, answerSchema: z.ZodType<T>, signal?: AbortSignal): Promise<PeerCallResult<T>> {
    return this.postJson(remote, kind, JSON.stringify(body), answerSchema, signal);
  }

  private postJson<T>(remote: StoredRemoteSystem, kind: PeerRequestKind, json: string, answerSchema: z.ZodType<T>, signal?: AbortSignal): Promise<PeerCallResult<T>> {
    return this.call(remote, kind, { method: 'POST', path: `/api/sync/v1/${kind}`, contentType: 'application/json', body: json, signed: json }, answerSchema, signal);
  }

  private async call<T>(remote: StoredRemoteSystem, kind: PeerRequestKind, request: PeerRequest, answerSchema: z.ZodType<T>, cancel?: AbortSignal): Promise<PeerCallResult<T>> {
    const { connection } = remote;
    const base = URL.parse(connection.base_url);
    const [secret] = connection.signing_secrets;
    // The config API admits only http(s) URLs and at least one secret; this guards records written any other way.
    if (!base || !['http:', 'https:'].includes(base.protocol) || base.username !== '' || base.password !== '' || !secret) {
      return {
        outcome: 'rejected',
        status: null,
        fault: 'connection',
        retryable: false,
        message: `remote system ${remote.name} has no usable connection; give it an http:// or https:// base URL without credentials in it, and a signing secret`,
      };
    }
    const address = peerAddress(base);
    const timestamp = Math.floor(Date.now() / 1000);
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = cancel ? AbortSignal.any([timeout, cancel]) : timeout;
    const headers = {
      'content-type': request.contentType,
      accept: 'application/json, application/problem+json',
      authorization: `Basic ${Buffer.from(`${connection.user_name}:${connection.password}`).toString('base64')}`,
      [TIMESTAMP_HEADER]: String(timestamp),
      [SIGNATURE_HEADER]: signRequest(secret, timestamp, request.signed),
    };
    try {
      const response = await outboundRequest(this.outbound, new URL(`${address}${request.path}`), { method: request.method, headers, body: request.body, signal });
      return classifyAnswer(response, await readCapped(response), { address, userName: connection.user_name, kind }, answerSchema);
    } catch (error) {
      if (error instanceof OutboundRefusal) {
        return { outcome: 'rejected', status: null, fault: 'connection', retryable: false, message: `the peer at ${address} is not called: ${error.message}` };
      }
      return {
        outcome: 'unavailable',
        status: null,
        retryable: true,
        message: timeout.aborted
          ? `the peer at ${address} did not answer within ${this.timeoutMs / 1000} s; check that it is running and reachable from this instance`
          : `the peer at ${address} is unreachable (${reasonOf(error)}); check the connection's base URL and that the peer is running`,
      };
    } finally {
      // Read to its end already, or refused before that: either way, done.
      if (typeof request.body !== 'string') request.body.destroy();
    }
  }
}

/** One HTTP call to a peer: the signature covers `signed`, which is the body itself when it is small enough to sign. */
interface PeerRequest {
  method: 'POST' | 'PUT';
  path: string;
  contentType: string;
  /** A string is sent whole; a stream as the socket takes it. */
  body: string | Readable;
  signed: string;
}

/** A peer's answer is read up to a limit, so a misbehaving host cannot fill this instance's memory. */
const ANSWER_LIMIT_BYTES = 256 * 1024;

async function readCapped(response: Response): Promise<string> {
  if (!response.body) return '';
  const decoder = new TextDecoder();
  let text = '';
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    text += decoder.decode(chunk, { stream: true });
    // Leaving the loop cancels the rest of the body.
    if (size >= ANSWER_LIMIT_BYTES) break;
  }
  return text + decoder.decode();
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
