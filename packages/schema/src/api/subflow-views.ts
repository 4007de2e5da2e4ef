import { z } from 'zod';
import { subflowKind, subflowSchema } from '../subflow.js';
import { booleanQueryFlag } from './envelope.js';

/** The subflow API's answers and parameters (`/api/lockstep/v1/subflows`). */

/** A subflow as served: a draft, with its revision and latest published version, or one published version. */
export const subflowViewSchema = subflowSchema.extend({
  /** Counts saves of the draft; its ETag. Drafts only. */
  revision: z.number().int().optional(),
  /** Null until the first publish. Drafts only. */
  latestVersion: z.number().int().nullable().optional(),
});
export type SubflowView = z.infer<typeof subflowViewSchema>;

/** What a list shows: everything but the graph's body. */
export const subflowSummarySchema = subflowViewSchema.omit({ inputs: true, outputs: true, nodes: true, edges: true });
export type SubflowSummary = z.infer<typeof subflowSummarySchema>;

/** One thing validation found in a graph; errors keep it from publishing and running. */
export const validationFindingSchema = z.object({
  severity: z.enum(['error', 'warning']),
  code: z.string(),
  message: z.string(),
  nodeId: z.string().optional(),
  edgeId: z.string().optional(),
  /** Param path within the node, e.g. values.short_description. */
  path: z.string().optional(),
});
export type ValidationFindingView = z.infer<typeof validationFindingSchema>;

/** A draft written (created, saved, copied) or a version published, with what validation found in it. */
export const subflowWrittenSchema = z.object({ result: subflowViewSchema, findings: z.array(validationFindingSchema) });

export const subflowFindingsSchema = z.object({ findings: z.array(validationFindingSchema) });

export const subflowListQuerySchema = z.strictObject({
  kind: subflowKind.optional(),
  system: booleanQueryFlag.optional(),
});

/** A version number as a path segment: versions count from 1. */
export const subflowVersionNumber = z
  .string()
  .regex(/^[1-9][0-9]{0,8}$/, 'a version number counts from 1')
  .transform(Number);
