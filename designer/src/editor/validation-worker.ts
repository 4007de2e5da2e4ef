/**
 * One validation worker for the tab, started as the app loads: its script
 * and the engine's schemas are warm by the time a subflow has been fetched
 * and drawn, so opening a large subflow does not wait for a cold start.
 */
let worker: Worker | null = null;

export function validationWorker(): Worker {
  worker ??= new Worker(new URL('./validation.worker.ts', import.meta.url), { type: 'module' });
  return worker;
}

let sequence = 0;

/** Numbers requests across every editor the tab opens, so an answer to a closed editor's graph is never taken for the current one's. */
export function nextSequence(): number {
  sequence += 1;
  return sequence;
}
