import { contextApi, type FlowContext } from '../api/contexts';

const POLL_MS = 400;
const GIVE_UP_MS = 60_000;

/**
 * Reloads a run's flow context until it stops running (completed, failed, or
 * waiting durably), reporting each state so the canvas shows steps as they finish.
 */
export async function followRun(context: FlowContext, onUpdate: (context: FlowContext) => void, signal: AbortSignal): Promise<void> {
  onUpdate(context);
  const giveUpAt = Date.now() + GIVE_UP_MS;
  let current = context;
  while (current.status === 'running' && Date.now() < giveUpAt && !signal.aborted) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    if (signal.aborted) return;
    current = await contextApi.get(current.sys_id);
    onUpdate(current);
  }
}
