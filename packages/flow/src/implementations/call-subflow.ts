import { createHash } from 'node:crypto';
import { implement, StepError, type RunAs } from '../implementation.js';
import { callSubflow } from '../nodes/flow-logic.js';
import type { FlowRunner, RunnableSubflow } from '../runner/runner.js';

/** Starts a run; the runner's own `start`, passed in so the runner can hold this action among its own. */
export type StartRun = FlowRunner['start'];

/** How often a parent looks again at a child run that is waiting. */
const CHILD_POLL_MS = 1_000;

/**
 * The latest published version of a subflow, as the run calling it may call
 * it: null when there is none; the run's user goes with the look-up, since
 * which subflows a run may call is up to where it runs.
 */
export type CallableSubflow = (id: string, runAs: RunAs) => Promise<RunnableSubflow | null>;

/**
 * Runs the child as a context of its own, whose id derives from the step's
 * idempotency key: a resumed parent finds the same child instead of starting
 * another.
 */
export function callSubflowImplementation(startRun: StartRun, latestPublished: CallableSubflow) {
  return implement(callSubflow, async (params, context) => {
    const subflow = await latestPublished(params.subflow, context.runAs);
    if (!subflow) throw new StepError(`there is no published subflow ${params.subflow}; publish it before calling it`);
    const contextId = createHash('sha256').update(context.idempotencyKey).digest('hex').slice(0, 32);
    const child = await startRun(subflow, params.inputs, { contextId, runAs: context.runAs, origin: context.origin, sync: context.sync, parent: { context_id: context.contextId, node_id: context.nodeId } });
    if (child.status === 'completed') return { kind: 'done', output: { outputs: child.outputs, contextId } };
    if (child.status === 'error') throw new StepError(`subflow ${child.subflow_name} failed: ${child.error?.message ?? 'unknown error'} (context ${contextId})`);
    const until = child.resume_at ?? context.now() + CHILD_POLL_MS;
    return { kind: 'suspend', until: new Date(until).toISOString(), reason: `waiting for subflow ${child.subflow_name} (context ${contextId})` };
  });
}
