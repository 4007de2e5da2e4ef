import { fileURLToPath } from 'node:url';
import { describeLocation } from '@lockstep/store';
import { ferretDbMissing, findFerretDbBinary, startFerretDb } from './ferretdb.js';
import { findPostgreSqlBin, postgreSqlMissing, startPostgreSql } from './postgresql.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface ServerPids {
  ferretdb: number[];
  /** The postmaster first, then its children. */
  postgresql: number[];
}

export interface MongoDbServer {
  uri: string;
  /** Where it comes from, for a test run's or bench's printout. */
  label: string;
  /** The server's processes now, FerretDB's and PostgreSQL's apart, where it was started here. */
  pids?: () => Promise<ServerPids>;
  stop(): Promise<void>;
}

/**
 * The MongoDB-wire server the tests and benches run the mongodb adapter on:
 * MONGODB_URI when set; else FerretDB on a throwaway PostgreSQL cluster, both
 * started here when installed; else the reason there is none.
 */
export async function startMongoDbServer(): Promise<MongoDbServer | { missing: string }> {
  const fromEnvironment = process.env.MONGODB_URI;
  if (fromEnvironment !== undefined && fromEnvironment !== '') {
    return { uri: fromEnvironment, label: `MONGODB_URI ${describeLocation(fromEnvironment, '').replace(/\/$/, '')}`, stop: async () => {} };
  }
  const [ferretDbBinary, postgreSqlBin] = await Promise.all([findFerretDbBinary(repoRoot), findPostgreSqlBin()]);
  const missing = [ferretDbBinary === undefined ? ferretDbMissing : [], postgreSqlBin === undefined ? postgreSqlMissing : []].flat();
  if (ferretDbBinary === undefined || postgreSqlBin === undefined) return { missing: `no MONGODB_URI, and ${missing.join('; and ')}` };

  const postgresql = await startPostgreSql(postgreSqlBin);
  try {
    const ferretDb = await startFerretDb(ferretDbBinary, postgresql);
    const stop = async (): Promise<void> => {
      // FerretDB first: it holds connections to the cluster.
      await ferretDb.stop();
      await postgresql.stop();
    };
    const pids = async () => ({ ferretdb: ferretDb.pid === undefined ? [] : [ferretDb.pid], postgresql: await postgresql.pids() });
    return { uri: ferretDb.uri, label: ferretDb.description, pids, stop };
  } catch (error) {
    await postgresql.stop();
    throw error;
  }
}
