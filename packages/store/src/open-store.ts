import { openEmbeddedStore } from './embedded.js';
import { openMongoStore } from './mongodb.js';
import type { DocumentStore } from './port.js';

export interface StoreOptions {
  /** Used by the embedded store, the default. */
  dataDir: string;
  /** Selects MongoDB instead of the embedded store. */
  mongodbUri?: string;
  /** @default the URI's database, else 'lockstep' */
  databaseName?: string;
}

export function openStore({ dataDir, mongodbUri, databaseName }: StoreOptions): Promise<DocumentStore> {
  return mongodbUri === undefined ? openEmbeddedStore({ dataDir }) : openMongoStore({ uri: mongodbUri, databaseName });
}
