import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { describeLocation } from '../../runtime/src/store/mongodb-uri.js';
import { findFerretDbBinary, startFerretDb } from './ferretdb.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The MongoDB-wire server for the mongodb adapter's tests; null when they are skipped. */
    mongodbUri: string | null;
    /** Where that server comes from, or why there is none. */
    mongodbSource: string;
  }
}

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const installHint = 'run bash .ci/install-ferretdb.sh';

interface MongoDbForTests {
  uri: string | null;
  source: string;
  stop(): Promise<void>;
}

/**
 * Finds a server for the mongodb adapter: MONGODB_URI, else a FerretDB binary
 * started here. Without either the mongodb tests are skipped, except on CI,
 * which must run the store contract on both adapters.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const mongodb = await mongoDbForTests();
  project.provide('mongodbUri', mongodb.uri);
  project.provide('mongodbSource', mongodb.source);
  console.log(mongodb.uri === null ? `store adapters: embedded only — mongodb skipped: ${mongodb.source}` : `store adapters: embedded, mongodb (${mongodb.source})`);
  return mongodb.stop;
}

async function mongoDbForTests(): Promise<MongoDbForTests> {
  const fromEnvironment = process.env.MONGODB_URI;
  if (fromEnvironment !== undefined && fromEnvironment !== '') {
    return { uri: fromEnvironment, source: `MONGODB_URI ${describeLocation(fromEnvironment, '').replace(/\/$/, '')}`, stop: async () => {} };
  }
  const binary = await findFerretDbBinary(repoRoot);
  if (binary !== undefined) {
    const ferretDb = await startFerretDb(binary);
    return { uri: ferretDb.uri, source: ferretDb.description, stop: ferretDb.stop };
  }
  if (process.env.CI === 'true') {
    throw new Error(`CI must run the store contract on both adapters, but there is no MONGODB_URI and no ferretdb binary; ${installHint} first`);
  }
  return { uri: null, source: `no MONGODB_URI and no ferretdb binary; ${installHint}`, stop: async () => {} };
}
