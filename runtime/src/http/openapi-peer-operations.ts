import {
  attachmentCompleteAnswerSchema,
  attachmentCompleteSchema,
  attachmentContentAnswerSchema,
  attachmentContentQuerySchema,
  attachmentRequestAnswerSchema,
  attachmentRequestSchema,
  handshakeAnswerSchema,
  handshakeRequestSchema,
  inboundAnswerSchema,
  inboundBatchAnswerSchema,
  resultOf,
  syncEnvelopeBatchSchema,
  syncEnvelopeSchema,
} from '@lockstep/schema';
import { z } from 'zod';
import { binary, type Operation } from './openapi-operation.js';

/**
 * Every peer call is signed over its raw body (or, for pushed content, over
 * `PUT <path and query>`) with a signing secret both remote system records
 * share: HMAC-SHA256 of `<timestamp>.<body>`, within 300 s of the receiver's clock.
 */
export const signatureHeaders = z.strictObject({
  'X-Lockstep-Timestamp': z.string().regex(/^\d{1,12}$/).describe('When the request was signed, in whole seconds since the Unix epoch'),
  'X-Lockstep-Signature': z.string().regex(/^v1=[0-9a-f]{64}$/).describe('v1= and the HMAC-SHA256, in hex, of `<timestamp>.<signed bytes>`'),
});

const tag = 'Peer API';
const description = "Called by the peer instance, as the inbound API user of this instance's remote system record for it, and signed.";

/** The inbound sync API one instance calls on another, under /api/sync/v1. */
export const peerOperations: Operation[] = [
  {
    method: 'post',
    path: '/api/sync/v1/inbound',
    tag,
    summary: 'Receive one sync envelope into the inbound queue',
    description,
    headers: signatureHeaders,
    body: syncEnvelopeSchema,
    responses: { 202: { description: 'Queued, or known already', body: resultOf(inboundAnswerSchema) } },
  },
  {
    method: 'post',
    path: '/api/sync/v1/inbound/batch',
    tag,
    summary: 'Receive several envelopes; each is answered on its own',
    description,
    headers: signatureHeaders,
    body: syncEnvelopeBatchSchema,
    responses: { 200: { description: 'One answer per envelope, in order', body: resultOf(inboundBatchAnswerSchema) } },
  },
  {
    method: 'post',
    path: '/api/sync/v1/handshake',
    tag,
    summary: "Validate and Activate's check: do the two records pair, and which process events do both sides have",
    description,
    headers: signatureHeaders,
    body: handshakeRequestSchema,
    responses: { 200: { description: 'What the receiver found; nothing is changed', body: resultOf(handshakeAnswerSchema) } },
  },
  {
    method: 'post',
    path: '/api/sync/v1/attachments/request',
    tag,
    summary: 'As originator: push the named attachments to the caller',
    description,
    headers: signatureHeaders,
    body: attachmentRequestSchema,
    responses: { 200: { description: 'What was pushed, and what the receiver did with it', body: resultOf(attachmentRequestAnswerSchema) } },
  },
  {
    method: 'put',
    path: '/api/sync/v1/attachments/content',
    tag,
    summary: "As receiver: one file's bytes, kept pending until completed",
    description: `${description} The signature covers \`PUT <path and query>\`, whose query names the content's sha256 and size.`,
    headers: signatureHeaders,
    query: attachmentContentQuerySchema,
    body: binary,
    responses: { 201: { description: 'Kept', body: resultOf(attachmentContentAnswerSchema) } },
  },
  {
    method: 'post',
    path: '/api/sync/v1/attachments/complete',
    tag,
    summary: 'As receiver: the pushed attachments are complete; stage them on the correlation record',
    description,
    headers: signatureHeaders,
    body: attachmentCompleteSchema,
    responses: { 200: { description: 'What was staged or refused', body: resultOf(attachmentCompleteAnswerSchema) } },
  },
];
