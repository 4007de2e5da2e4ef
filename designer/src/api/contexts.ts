import { subflowGraphSchema } from '@lockstep/schema';
import { z } from 'zod';
import { request } from './client';
import { fetchPage, searchOf } from './paged';

/** One node's latest execution in a run, as the runtime records it. */
export const stepRecordSchema = z.object({
  node_id: z.string(),
  status: z.enum(['running', 'done', 'waiting', 'failed']),
  execution: z.number(),
  attempt: z.number(),
  input: z.unknown(),
  output: z.unknown(),
  error: z.string().nullable(),
  duration_ms: z.number().nullable(),
});
export type StepRecord = z.infer<typeof stepRecordSchema>;

export const contextStatuses = ['running', 'waiting', 'completed', 'error'] as const;

export const flowContextSchema = z.object({
  sys_id: z.string(),
  subflow_id: z.string(),
  subflow_version: z.union([z.number(), z.literal('draft')]),
  subflow_name: z.string(),
  graph: subflowGraphSchema.nullable(),
  status: z.enum(contextStatuses),
  inputs: z.record(z.string(), z.unknown()),
  outputs: z.record(z.string(), z.unknown()),
  error: z.object({ message: z.string(), node_id: z.string().nullable() }).nullable(),
  steps: z.record(z.string(), stepRecordSchema),
  test_run: z.boolean(),
  /** The domain the run worked in: its run-as user's, or the queued record's. */
  sys_domain: z.string(),
  created_at: z.number(),
});
export type FlowContext = z.infer<typeof flowContextSchema>;

const one = z.object({ result: flowContextSchema });
const page = z.object({ result: z.array(flowContextSchema) });

/** How a test run goes: `dryRun`, an outbound subflow's Send records the envelope it would send and sends nothing. */
export interface TestRunOptions {
  dryRun: boolean;
}

export const contextApi = {
  testRun: async (subflowId: string, inputs: Record<string, unknown>, version?: number, options: TestRunOptions = { dryRun: false }) =>
    (await request(one, `/lockstep/v1/subflows/${encodeURIComponent(subflowId)}/test-run`, { method: 'POST', body: { inputs, version, dry_run: options.dryRun } })).body.result,
  get: async (id: string) => (await request(one, `/lockstep/v1/contexts/${encodeURIComponent(id)}`)).body.result,
  /** A page of every run, newest first, filtered by subflow, status and whether it was a test run. */
  list: (query: Readonly<Record<string, string>>) => fetchPage(flowContextSchema, `/lockstep/v1/contexts${searchOf(query)}`),
  listFor: async (subflowId: string) => (await request(page, `/lockstep/v1/contexts?subflow=${encodeURIComponent(subflowId)}&limit=20`)).body.result,
};
