import { vi } from 'vitest';
import type { DocumentStore, StoreOperation } from '@lockstep/store';
import type { StoreAdapter } from './adapters.js';

/** A store on a test's database, as one process would open it, with every operation it makes heard. */
export interface HeardStore {
  store: DocumentStore;
  operations: StoreOperation[];
}

/** Opens another store on the adapter's database, counting its operations, and adds it to `opened` for the test to close. */
export async function openHeard(adapter: StoreAdapter, opened: HeardStore[]): Promise<HeardStore> {
  vi.stubEnv('LOCKSTEP_COUNT_STORE_OPS', '1');
  try {
    const store = await adapter.open();
    const heard: HeardStore = { store, operations: [] };
    store.onOperation((operation) => heard.operations.push(operation));
    opened.push(heard);
    return heard;
  } finally {
    vi.unstubAllEnvs();
  }
}
