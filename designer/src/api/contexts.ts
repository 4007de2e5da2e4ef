import { flowContextStatuses, flowContextViewSchema, pageOf, resultOf, type FlowContextView, type StepRecordView } from '@lockstep/schema';
import { request } from './client';
import { fetchPage, searchOf } from './paged';

/** One node's latest execution in a run, as the runtime records it. */
export type StepRecord = StepRecordView;

export const contextStatuses = flowContextStatuses;

export type FlowContext = FlowContextView;

const one = resultOf(flowContextViewSchema);
const page = pageOf(flowContextViewSchema);

/** How a test run goes: `dryRun`, an outbound subflow's Send records the envelope it would send and sends nothing. */
export interface TestRunOptions {
  dryRun: boolean;
}

export const contextApi = {
  testRun: async (subflowId: string, inputs: Record<string, unknown>, version?: number, options: TestRunOptions = { dryRun: false }) =>
    (await request(one, `/lockstep/v1/subflows/${encodeURIComponent(subflowId)}/test-run`, { method: 'POST', body: { inputs, version, dry_run: options.dryRun } })).body.result,
  get: async (id: string) => (await request(one, `/lockstep/v1/contexts/${encodeURIComponent(id)}`)).body.result,
  /** A page of every run, newest first, filtered by subflow, status and whether it was a test run. */
  list: (query: Readonly<Record<string, string>>) => fetchPage(flowContextViewSchema, `/lockstep/v1/contexts${searchOf(query)}`),
  listFor: async (subflowId: string) => (await request(page, `/lockstep/v1/contexts?subflow=${encodeURIComponent(subflowId)}&limit=20`)).body.result,
};
