import { afterAll, beforeAll, describe } from 'vitest';
import type { DocumentStore } from '@lockstep/store';
import { storeAdapters } from './adapters.js';
import { claims } from './contract/claims.js';
import { type ContractContext, uniqueCollectionName } from './contract/context.js';
import { deletes } from './contract/deletes.js';
import { filters } from './contract/filters.js';
import { findOneAndUpdate } from './contract/find-one-and-update.js';
import { findOptions } from './contract/find-options.js';
import { indexes } from './contract/indexes.js';
import { insertsAndReads } from './contract/inserts.js';
import { lifecycle } from './contract/lifecycle.js';
import { updates } from './contract/updates.js';
import { upserts } from './contract/upserts.js';

/*
 * The document-store contract: every port operation, run unchanged on each
 * adapter. A behaviour that cannot pass on both is normalised in an adapter or
 * left out of the port (see port.ts).
 */
describe.each(storeAdapters().map((adapter) => [adapter.name, adapter] as const))('%s store', (_name, adapter) => {
  describe.skipIf(adapter.skipReason !== undefined)(adapter.skipReason ?? 'contract', () => {
    let store: DocumentStore;
    beforeAll(async () => {
      store = await adapter.open();
    });
    afterAll(async () => {
      await store.close();
      await adapter.dispose();
    });

    const context: ContractContext = {
      adapter,
      store: () => store,
      freshCollection: () => store.collection(uniqueCollectionName()),
    };

    insertsAndReads(context);
    filters(context);
    findOptions(context);
    updates(context);
    upserts(context);
    findOneAndUpdate(context);
    claims(context);
    deletes(context);
    indexes(context);
    lifecycle(context);
  });
});
