import type { Collection, DocumentStore, StoredDocument } from '@lockstep/store';
import type { StoreAdapter } from '../adapters.js';

/** What every part of the contract gets: the adapter, and the store the suite opened on it. */
export interface ContractContext {
  adapter: StoreAdapter;
  store(): DocumentStore;
  /** A collection no other test uses. */
  freshCollection<T extends StoredDocument = StoredDocument>(): Collection<T>;
}

let collectionCount = 0;

export function uniqueCollectionName(): string {
  collectionCount += 1;
  return `c${collectionCount}_${Math.random().toString(36).slice(2, 8)}`;
}

/** The `_id`s matching a filter, sorted, which is what most filter assertions need. */
export async function idsOf(collection: Collection, filter: Parameters<Collection['find']>[0]): Promise<string[]> {
  const found = await collection.find(filter, { sort: { _id: 1 }, projection: { _id: 1 } });
  return found.map((doc) => doc._id);
}

export const idShape = /^[0-9a-f]{32}$/;
