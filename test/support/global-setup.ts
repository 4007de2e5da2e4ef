import type { TestProject } from 'vitest/node';
import { startMongoDbServer } from './mongodb-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The MongoDB-wire server for the mongodb adapter's tests; null when they are skipped. */
    mongodbUri: string | null;
    /** Where that server comes from, or why there is none. */
    mongodbSource: string;
  }
}

/**
 * Finds a server for the mongodb adapter (MONGODB_URI, else FerretDB on a
 * PostgreSQL cluster started here). Without one the mongodb tests are
 * skipped, except on CI, which must run the store contract on both adapters.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const mongodb = await startMongoDbServer();
  if ('missing' in mongodb) {
    if (process.env.CI === 'true') throw new Error(`CI must run the store contract on both adapters, but there is ${mongodb.missing}`);
    project.provide('mongodbUri', null);
    project.provide('mongodbSource', mongodb.missing);
    console.log(`store adapters: embedded only — mongodb skipped: ${mongodb.missing}`);
    return async () => {};
  }
  project.provide('mongodbUri', mongodb.uri);
  project.provide('mongodbSource', mongodb.label);
  console.log(`store adapters: embedded, mongodb (${mongodb.label})`);
  return mongodb.stop;
}
