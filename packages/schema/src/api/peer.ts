import { z } from 'zod';
import { sysId } from '../dictionary.js';
import { problemSchema } from '../problem.js';

/**
 * The peer API's handshake and answers (`/api/sync/v1`). Validate and
 * Activate sends the handshake: "this is my record for you, I think yours is
 * this one, and these are my process events"; the peer answers what it
 * found, and changes nothing.
 */

export const handshakeRequestSchema = z.strictObject({
  /** The receiver's record for the sender (the sender's external id). */
  remote_system: sysId,
  /** The sender's record for the receiver. */
  source_remote_system: sysId,
  /** The sender's instance name, for messages. */
  instance: z.string().min(1).max(80),
  /** Names of the sender's process events for this integration. */
  process_events: z.array(z.string().min(1).max(120)).max(1000),
});
export type HandshakeRequest = z.infer<typeof handshakeRequestSchema>;

export const handshakeAnswerSchema = z.strictObject({
  ok: z.boolean(),
  /** What is wrong on the receiver's side, each saying what to fix there. */
  findings: z.array(z.string().max(2000)).max(100),
  /** The process event names both sides have. */
  process_events: z.array(z.string().max(120)).max(1000),
  /** The receiver's instance name. */
  instance: z.string().max(80),
});
export type HandshakeAnswer = z.infer<typeof handshakeAnswerSchema>;

export const inboundAnswerSchema = z.strictObject({
  id: z.string(),
  status: z.enum(['queued', 'duplicate']),
});
export type InboundAnswer = z.infer<typeof inboundAnswerSchema>;

/** What the receiver did with one envelope of a batch: queued it, knew it already, or refused it, with the problem it would have answered alone. */
export const inboundBatchAnswerSchema = z.array(
  z.union([inboundAnswerSchema, z.strictObject({ id: z.string().nullable(), status: z.literal('refused'), problem: problemSchema })]),
);
export type InboundBatchAnswer = z.infer<typeof inboundBatchAnswerSchema>;
