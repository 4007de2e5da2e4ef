import { afterAll } from 'vitest';
import type { DocumentStore } from '@lockstep/store';
import type { StoreAdapter } from './adapters.js';

/**
 * Stores standing for runtime processes on one database, for the test file:
 * on MongoDB `count` stores, each with its own connections and in-process
 * write queues, as separate processes have; on the embedded store one, whose
 * directory one process owns. Closed, and the data deleted, after the file.
 */
export function processesOnOneDatabase(adapter: StoreAdapter, count: number): () => Promise<DocumentStore[]> {
  let opened: Promise<DocumentStore[]> | undefined;
  afterAll(async () => {
    if (opened !== undefined) await Promise.all((await opened).map((store) => store.close()));
    await adapter.dispose();
  });
  return () => (opened ??= Promise.all(Array.from({ length: adapter.name === 'embedded' ? 1 : count }, () => adapter.open())));
}
