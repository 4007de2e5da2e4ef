import { z } from 'zod';
import { attachmentFileSchema } from './attachments.js';
import { sysId } from './dictionary.js';
import { captureOperation } from './sync-config.js';

/**
 * What one instance sends another for one captured change: the sync
 * envelope, POSTed to the receiver's `/api/sync/v1/inbound`.
 */

export const journalDeltaSchema = z.array(
  z.strictObject({ value: z.string(), created_by: z.string(), created_on: z.string() }),
);

/** An attachment an envelope offers: the file, and the key its receiver asks for it with. */
export const attachmentMetadataSchema = z.strictObject({
  /** An encrypted synthetic key, scoped to one attachment and one remote system, with an expiry. */
  key: z.string().min(1),
  ...attachmentFileSchema.shape,
});

/** The captured object: what the outbound flow gets as its payload, and what travels in the envelope. */
export const capturedObjectSchema = z.strictObject({
  table: z.string().min(1),
  sys_id: sysId,
  operation: captureOperation,
  /** The included fields' values after the change. */
  fields: z.record(z.string(), z.unknown()),
  /** Which of those fields the change changed. */
  changed: z.array(z.string()),
  /** Only the journal entries new since the last capture, per journal field. */
  journal: z.record(z.string(), journalDeltaSchema),
  attachments: z.array(attachmentMetadataSchema),
  metadata: z.strictObject({
    changed_by: z.string(),
    changed_on: z.string(),
    domain: z.string(),
    capture_definition: sysId,
    mod_count: z.number().int().min(0),
    /** The capture definition includes attachments: the outbound flow adds their metadata before sending. Absent means no. */
    include_attachments: z.boolean().optional(),
  }),
});
export type CapturedObject = z.infer<typeof capturedObjectSchema>;

export const syncEnvelopeSchema = z.strictObject({
  /** Unique per envelope; a repeat is acknowledged and not queued again. */
  id: z.uuid(),
  /** The process event's name, the same on both instances. */
  process_event: z.string().min(1).max(120),
  /** The sender's remote system record for the receiver, and the receiver's record for the sender (its external id). */
  source: z.strictObject({ remote_system: sysId, target_remote_system: sysId, instance: z.string().min(1).max(80) }),
  operation: captureOperation,
  /** Increases by one per change of the same record to the same remote system; the receiver applies them in order. */
  sequence: z.number().int().min(1),
  correlation: z.strictObject({
    /** The sender's correlation id for the record. */
    sender_id: z.string().min(1).max(100),
    /** The receiver's correlation id, once the sender knows it. */
    receiver_id: z.string().min(1).max(100).nullable(),
  }),
  payload: capturedObjectSchema,
  sent_at: z.iso.datetime(),
});
export type SyncEnvelope = z.infer<typeof syncEnvelopeSchema>;

/** Envelopes in one batch at most. */
export const SYNC_BATCH_LIMIT = 100;

/**
 * Several envelopes for one receiver in one request, as a busy sender posts
 * them to `/api/sync/v1/inbound/batch`. The receiver checks and answers each
 * on its own, so the items are only shaped here: one malformed envelope is
 * refused alone, not with the rest of its batch.
 */
export const syncEnvelopeBatchSchema = z.strictObject({
  envelopes: z.array(z.unknown()).min(1).max(SYNC_BATCH_LIMIT),
});
