import { fileURLToPath } from 'node:url';
import { findFerretDbBinary, startFerretDb, type RunningFerretDb } from '../support/ferretdb.js';
import type { PairStore } from '../support/sync-pair.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** What an interrupted bench (Ctrl-C) must not leave running: the runtime processes and the FerretDB it started. */
export const running = new Set<() => Promise<unknown>>();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void Promise.allSettled([...running].map((stop) => stop())).then(() => process.exit(130));
  });
}

/** MONGODB_URI when set; else a FerretDB started here when a binary is found; else the reason there is none. */
async function mongoDbTarget(): Promise<{ uri: string; label: string; ferretDb?: RunningFerretDb } | { skipped: string }> {
  const fromEnvironment = process.env.MONGODB_URI;
  if (fromEnvironment) return { uri: fromEnvironment, label: 'MONGODB_URI' };
  const binary = await findFerretDbBinary(repoRoot);
  if (binary === undefined) return { skipped: 'no MONGODB_URI and no ferretdb binary (set LOCKSTEP_FERRETDB_BIN, or run bash .ci/install-ferretdb.sh)' };
  const ferretDb = await startFerretDb(binary);
  return { uri: ferretDb.uri, label: ferretDb.description, ferretDb };
}

/** Which stores to bench: `LOCKSTEP_BENCH_STORES=embedded` skips the slow FerretDB run while working on the embedded path. */
const stores = new Set((process.env.LOCKSTEP_BENCH_STORES ?? 'embedded,mongodb').split(',').map((name) => name.trim()));

/**
 * Runs a bench on the embedded store, then on MongoDB (MONGODB_URI, or a
 * FerretDB started for it and stopped after), as LOCKSTEP_BENCH_STORES picks.
 */
export async function onEachBenchStore(bench: string, print: (line: string) => void, run: (label: string, store: PairStore) => Promise<void>): Promise<void> {
  if (stores.has('embedded')) await run('embedded store', { kind: 'embedded' });
  if (!stores.has('mongodb')) return;
  const mongodb = await mongoDbTarget();
  if ('skipped' in mongodb) {
    print(`${bench}, mongodb store: skipped — ${mongodb.skipped}`);
    return;
  }
  const stopFerretDb = async () => mongodb.ferretDb?.stop();
  running.add(stopFerretDb);
  try {
    await run(`mongodb store (${mongodb.label})`, { kind: 'mongodb', uri: mongodb.uri });
  } finally {
    await stopFerretDb();
    running.delete(stopFerretDb);
  }
}
