import { z } from 'zod';

/**
 * A subflow is data: the graph a process designer draws, which the runtime
 * compiles and runs. Drafts are edited; publishing freezes an immutable version.
 */

export const subflowKinds = ['outbound', 'inbound', 'error', 'custom'] as const;
export const subflowKind = z.enum(subflowKinds);
export type SubflowKind = z.infer<typeof subflowKind>;

/** The ports an edge may leave a node by. Which ones a node has depends on its type. */
export const portNames = ['next', 'true', 'false', 'each', 'done', 'error'] as const;
export const portName = z.enum(portNames);
export type PortName = z.infer<typeof portName>;

/**
 * Node ids become keys of the flow context's step records, so they avoid the
 * characters MongoDB and FerretDB refuse in field names.
 */
export const nodeId = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, 'a node id starts with a letter and has letters, digits, _ or -');

export const identifier = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'a name is letters, digits and _, not starting with a digit');

export const variableTypes = ['string', 'number', 'boolean', 'object', 'array', 'any'] as const;

/** One input or output of a subflow. */
export const subflowVariableSchema = z.object({
  name: identifier,
  label: z.string().default(''),
  type: z.enum(variableTypes).default('any'),
  /** @default false */
  required: z.boolean().default(false),
  description: z.string().default(''),
});
export type SubflowVariable = z.infer<typeof subflowVariableSchema>;

export const retryPolicySchema = z.object({
  /** Attempts in all, the first included. */
  attempts: z.number().int().min(1).max(20),
  /** Wait before the second attempt; it doubles for each further one. */
  delayMs: z.number().int().min(0).max(86_400_000),
});
export type RetryPolicy = z.infer<typeof retryPolicySchema>;

export const subflowNodeSchema = z.object({
  id: nodeId,
  /** A node type from the catalog, e.g. `record.create`. */
  type: z.string().min(1),
  label: z.string().default(''),
  position: z.object({ x: z.number(), y: z.number() }).default({ x: 0, y: 0 }),
  /** Checked against the node type's params schema; any string value may hold `{{ expression }}` data pills. */
  params: z.record(z.string(), z.unknown()).default({}),
  /** How long one attempt may take before it fails. @default the node type's, else 10 s */
  timeoutMs: z.number().int().min(1).max(3_600_000).optional(),
  /** Retries of a failed attempt, waited for in the database, not in memory. */
  retry: retryPolicySchema.optional(),
});
export type SubflowNode = z.infer<typeof subflowNodeSchema>;

export const subflowEdgeSchema = z.object({
  id: z.string().min(1).max(128),
  source: nodeId,
  sourceHandle: portName.default('next'),
  target: nodeId,
});
export type SubflowEdge = z.infer<typeof subflowEdgeSchema>;

export const subflowGraphSchema = z.object({
  name: z.string().min(1).max(120),
  description: z.string().max(4000).default(''),
  kind: subflowKind,
  inputs: z.array(subflowVariableSchema).default([]),
  outputs: z.array(subflowVariableSchema).default([]),
  nodes: z.array(subflowNodeSchema),
  edges: z.array(subflowEdgeSchema),
  /** Active running time allowed for one run; durable waits do not count. @default 30000 */
  timeLimitMs: z.number().int().min(100).max(3_600_000).default(30_000),
});
export type SubflowGraph = z.infer<typeof subflowGraphSchema>;

export const subflowStatus = z.enum(['draft', 'published']);

/** A subflow as stored and served: a draft, or one published version of it. */
export const subflowSchema = subflowGraphSchema.extend({
  id: z.string().min(1),
  /** A draft carries the version it will publish as; a published version, its own number. */
  version: z.number().int().min(1),
  status: subflowStatus,
  /** System subflows (the templates) are read-only; copy them to change them. */
  system: z.boolean().default(false),
  sys_domain: z.string().default('global'),
  sys_created_on: z.string(),
  sys_created_by: z.string(),
  sys_updated_on: z.string(),
  sys_updated_by: z.string(),
});
export type Subflow = z.infer<typeof subflowSchema>;

/** `POST /subflows/:id/copy`: what to copy, and the new draft's name. */
export const subflowCopySchema = z.strictObject({
  /** @default "Copy of <source name>" */
  name: z.string().min(1).max(120).optional(),
  /** A published version to copy. @default the draft, or a system subflow's latest version */
  version: z.number().int().min(1).optional(),
});
export type SubflowCopy = z.infer<typeof subflowCopySchema>;

export const testRunSchema = z.strictObject({
  inputs: z.record(z.string(), z.unknown()).default({}),
  /** A published version to run. @default the draft as saved */
  version: z.number().int().min(1).optional(),
  /**
   * An outbound subflow's Send step records, in its output, the envelope it
   * would send, and sends nothing: outside a queue run it has no queue item
   * to send. The other steps run as in any test run.
   */
  dry_run: z.boolean().default(false),
});
export type TestRun = z.infer<typeof testRunSchema>;
