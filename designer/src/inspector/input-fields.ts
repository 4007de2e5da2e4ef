import { capturedObjectSchema, type SubflowKind } from '@lockstep/schema';
import { z } from 'zod';
import type { JsonSchema } from './field-kind';
import { schemaPaths } from './schema-paths';

/**
 * What the runtime passes as the `payload` input of the flows a queue runs:
 * the captured object to an outbound flow, and to an inbound flow the same
 * object received, its metadata carrying the local and sender correlation ids.
 */
const payloads: Partial<Record<SubflowKind, z.ZodType>> = {
  outbound: capturedObjectSchema,
  inbound: capturedObjectSchema.extend({
    metadata: capturedObjectSchema.shape.metadata.extend({ correlation_id: z.string(), sender_correlation_id: z.string().nullable() }),
  }),
};

const known = new Map<SubflowKind, string[]>();

/** The fields inside one of a subflow's inputs that are known before it runs, e.g. `metadata.correlation_id` in an inbound flow's payload. */
export function inputFieldPaths(kind: SubflowKind, input: string): string[] {
  const payload = payloads[kind];
  if (input !== 'payload' || payload === undefined) return [];
  if (!known.has(kind)) known.set(kind, schemaPaths(z.toJSONSchema(payload, { io: 'output', unrepresentable: 'any' }) as JsonSchema));
  return known.get(kind)!;
}
