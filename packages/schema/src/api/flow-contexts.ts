import { z } from 'zod';
import { portName, subflowGraphSchema, subflowKind } from '../subflow.js';
import { captureOperation } from '../sync-config.js';
import { booleanQueryFlag, pageParams } from './envelope.js';

/** Flow contexts: what every run of a subflow leaves, as `/api/lockstep/v1/contexts` shows them. */

export const flowContextStatuses = ['running', 'waiting', 'completed', 'error'] as const;

/** The latest execution of one node in a run. */
export const stepRecordSchema = z.object({
  node_id: z.string(),
  type: z.string(),
  label: z.string(),
  status: z.enum(['running', 'done', 'waiting', 'failed']),
  /** How many times the node has run in this run, this one included (loops run nodes again). */
  execution: z.number().int(),
  attempt: z.number().int(),
  /** The params after data pills were resolved; capped once the run has ended. */
  input: z.unknown(),
  output: z.unknown(),
  error: z.string().nullable(),
  error_code: z.string().nullable(),
  port: portName.nullable(),
  next_attempt: z.number().int().nullable(),
  started_at: z.number(),
  finished_at: z.number().nullable(),
  duration_ms: z.number().nullable(),
});
export type StepRecordView = z.infer<typeof stepRecordSchema>;

/**
 * Why a sync run runs, as whoever started it said: the outbound queue's
 * item, the inbound queue's, a link in error, or a dry run. Kept apart from
 * the run's inputs, which a test run's caller sets.
 */
export const syncRunSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('outbound'),
    remote_system: z.string(),
    /** The queue item sent: its envelope id derives from `id`. */
    item: z.object({ id: z.string(), sequence: z.number().int(), process_event_name: z.string(), operation: captureOperation }),
  }),
  z.object({ kind: z.literal('inbound'), remote_system: z.string(), item: z.string() }),
  z.object({ kind: z.literal('error'), remote_system: z.string(), direction: z.enum(['inbound', 'outbound']) }),
  z.object({ kind: z.literal('dry_run') }),
]);
export type SyncRunView = z.infer<typeof syncRunSchema>;

/** One run. Loose: the runtime keeps its own bookkeeping (leases, claims) alongside. */
export const flowContextViewSchema = z.looseObject({
  sys_id: z.string(),
  subflow_id: z.string(),
  /** A published version, or 'draft' for a test run of unpublished work. */
  subflow_version: z.union([z.number().int(), z.literal('draft')]),
  subflow_name: z.string(),
  kind: subflowKind,
  /** Only for draft runs: the graph as it was run. */
  graph: subflowGraphSchema.nullable(),
  status: z.enum(flowContextStatuses),
  inputs: z.record(z.string(), z.unknown()),
  outputs: z.record(z.string(), z.unknown()),
  error: z.object({ message: z.string(), node_id: z.string().nullable(), code: z.string() }).nullable(),
  steps: z.record(z.string(), stepRecordSchema),
  /** The domain the run worked in: its run-as user's, or the queued record's. */
  sys_domain: z.string(),
  test_run: z.boolean(),
  /** Null for a run no queue or dry run started; absent from runs stored before it was kept. */
  sync: syncRunSchema.nullable().optional(),
  created_at: z.number(),
  updated_at: z.number(),
});
export type FlowContextView = z.infer<typeof flowContextViewSchema>;

export const contextListQuerySchema = z.strictObject({
  subflow: z.string().min(1).optional(),
  status: z.enum(flowContextStatuses).optional(),
  test_run: booleanQueryFlag.optional(),
  ...pageParams,
});
