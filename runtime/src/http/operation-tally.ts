import type { DocumentStore } from '@lockstep/store';

/**
 * Store operations by collection and kind ("queue_items find"), counted from
 * now on, when the store counts its operations (LOCKSTEP_COUNT_STORE_OPS=1):
 * the sync bench reads them from /health to see where each change's round
 * trips go. Undefined otherwise.
 */
export function tallyOperations(store: DocumentStore): (() => Record<string, number>) | undefined {
  if (store.operationCounts() === undefined) return undefined;
  const tally: Record<string, number> = {};
  store.onOperation(({ collection, kind }) => {
    const key = `${collection} ${kind}`;
    tally[key] = (tally[key] ?? 0) + 1;
  });
  return () => ({ ...tally });
}
