import { z } from 'zod';
import type { FlowContext } from '../api/contexts';

/** A Send step's output in a dry run, as the runtime records it. */
const dryRunOutput = z.object({ dryRun: z.literal(true), envelope: z.record(z.string(), z.unknown()) });

/** The envelopes a dry run's Send steps would have sent, by the node that made each. */
export function dryRunEnvelopes(run: FlowContext): { nodeId: string; envelope: Record<string, unknown> }[] {
  return Object.values(run.steps).flatMap((step) => {
    const output = dryRunOutput.safeParse(step.output);
    return output.success ? [{ nodeId: step.node_id, envelope: output.data.envelope }] : [];
  });
}
