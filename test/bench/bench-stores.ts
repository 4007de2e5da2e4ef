import { type ServerPids, startMongoDbServer } from '../support/mongodb-server.js';
import type { PairStore } from '../support/sync-pair.js';

/** What an interrupted bench (Ctrl-C) must not leave running: the runtime processes, and the FerretDB and PostgreSQL it started. */
export const running = new Set<() => Promise<unknown>>();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void Promise.allSettled([...running].map((stop) => stop())).then(() => process.exit(130));
  });
}

/** Which stores to bench: `LOCKSTEP_BENCH_STORES=embedded` skips the slower MongoDB run while working on the embedded path. */
const stores = new Set((process.env.LOCKSTEP_BENCH_STORES ?? 'embedded,mongodb').split(',').map((name) => name.trim()));

export const benchesStore = (kind: 'embedded' | 'mongodb'): boolean => stores.has(kind);

/**
 * Runs a bench on the embedded store, then on MongoDB (MONGODB_URI, or
 * FerretDB on PostgreSQL started for it and stopped after, as the tests use),
 * as LOCKSTEP_BENCH_STORES picks.
 */
export async function onEachBenchStore(bench: string, print: (line: string) => void, run: (label: string, store: PairStore, serverPids?: () => Promise<ServerPids>) => Promise<void>): Promise<void> {
  if (benchesStore('embedded')) await run('embedded store', { kind: 'embedded' });
  if (!benchesStore('mongodb')) return;
  const mongodb = await startMongoDbServer();
  if ('missing' in mongodb) {
    print(`${bench}, mongodb store: skipped — ${mongodb.missing}`);
    return;
  }
  running.add(mongodb.stop);
  try {
    await run(`mongodb store (${mongodb.label})`, { kind: 'mongodb', uri: mongodb.uri }, mongodb.pids);
  } finally {
    await mongodb.stop();
    running.delete(mongodb.stop);
  }
}
