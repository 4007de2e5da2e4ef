import { z } from 'zod';
import { sysId, tableName } from './dictionary.js';

/**
 * Attachments: the Attachment API's parameters, and the three-step exchange
 * between peers that moves attachment content (request, content, complete).
 */

/** A content hash as attachments carry it: a SHA-256, in lower-case hex. */
export const sha256Pattern = /^[0-9a-f]{64}$/;
export const sha256Hex = z.string().regex(sha256Pattern, 'a sha256 is 64 lower-case hex characters');

/**
 * A file name as people give it: any text but control characters, up to 255
 * characters. It is only ever data, never a path, so `../x` is just a name.
 */
export const attachmentFileName = z
  .string()
  .min(1, 'give the file a name')
  .max(255, 'a file name has at most 255 characters')
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  .refine((name) => !/[\u0000-\u001f\u007f]/.test(name), 'a file name may not hold control characters (tabs, line breaks, NUL)')
  .refine((name) => name.trim() !== '', 'give the file a name, not only spaces');

/** `POST /api/now/attachment/file`: where the file goes and its name; the body is the file, its Content-Type the file's. */
export const attachmentUploadQuerySchema = z.strictObject({
  table_name: tableName,
  table_sys_id: sysId,
  file_name: attachmentFileName,
});

/** Which sender and receiver records a peer call is between, as an envelope names them. */
export const peerPairSchema = z.strictObject({
  /** The receiver's record for the sender. */
  remote_system: sysId,
  /** The sender's record for the receiver. */
  source_remote_system: sysId,
  /** The sender's instance name, for messages. */
  instance: z.string().min(1).max(80),
});
export type PeerPair = z.infer<typeof peerPairSchema>;

/** Attachments one request or completion names at most. */
export const ATTACHMENT_BATCH_LIMIT = 100;

/**
 * Step one, receiver to originator: "push these attachments to my
 * correlation record". `need_content` is false for content the receiver
 * holds already (a renamed file, say), which then travels as metadata only.
 */
export const attachmentRequestSchema = z.strictObject({
  ...peerPairSchema.shape,
  /** The receiver's correlation record, which the attachments go to before they are moved. */
  correlation: sysId,
  attachments: z
    .array(z.strictObject({ key: z.string().min(1).max(2000), need_content: z.boolean() }))
    .min(1)
    .max(ATTACHMENT_BATCH_LIMIT),
});
export type AttachmentRequest = z.infer<typeof attachmentRequestSchema>;

/** Step two, originator to receiver: one file's bytes, the body of `PUT /api/sync/v1/attachments/content`. */
export const attachmentContentQuerySchema = z.strictObject({
  ...peerPairSchema.shape,
  correlation: sysId,
  sha256: sha256Hex,
  size: z.coerce.number().int().min(0),
});

export const attachmentFileSchema = z.strictObject({
  sha256: sha256Hex,
  file_name: attachmentFileName,
  content_type: z.string().min(1).max(255),
  size: z.number().int().min(0),
});
export type AttachmentFile = z.infer<typeof attachmentFileSchema>;

/** Step three, originator to receiver: the attachments whose content is there, complete. */
export const attachmentCompleteSchema = z.strictObject({
  ...peerPairSchema.shape,
  correlation: sysId,
  attachments: z.array(attachmentFileSchema).min(1).max(ATTACHMENT_BATCH_LIMIT),
});

/** What the receiver did with one completed attachment: staged it on the correlation record, or refused it, saying why. */
export const attachmentReceiptSchema = z.strictObject({
  sha256: sha256Hex,
  file_name: z.string(),
  status: z.enum(['staged', 'refused']),
  reason: z.string().max(2000).nullable(),
});
export type AttachmentReceipt = z.infer<typeof attachmentReceiptSchema>;

export const attachmentCompleteAnswerSchema = z.array(attachmentReceiptSchema);

/** The originator's answer to a request, once the content is pushed and the completion answered. */
export const attachmentRequestAnswerSchema = z.strictObject({
  /** Files whose bytes were sent. */
  content_sent: z.number().int().min(0),
  bytes_sent: z.number().int().min(0),
  receipts: z.array(attachmentReceiptSchema),
  /** Keys of attachments deleted here since they were offered. */
  gone: z.array(z.string()),
});
export type AttachmentRequestAnswer = z.infer<typeof attachmentRequestAnswerSchema>;
