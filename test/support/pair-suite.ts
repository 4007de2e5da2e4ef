import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, inject } from 'vitest';
import { startSyncPair, type PairStore, type SyncPair } from './sync-pair.js';

/**
 * The stores a pair's test runs on: embedded always, MongoDB (FerretDB) when
 * the global setup found one. `skipped` says why not, for the describe name.
 */
export function pairStores(): { name: string; store: PairStore | null; skipped: string }[] {
  const mongodbUri = inject('mongodbUri');
  return [
    { name: 'embedded', store: { kind: 'embedded' }, skipped: '' },
    { name: 'mongodb', store: mongodbUri === null ? null : { kind: 'mongodb', uri: mongodbUri }, skipped: mongodbUri === null ? ` — skipped: ${inject('mongodbSource')}` : '' },
  ];
}

/**
 * A pair for the tests of the calling describe: started before them in a
 * fresh temporary directory (`topic` names it), killed and removed after
 * them. Read it with the returned function inside the tests. `args` and
 * `env` go to both processes, as startSyncPair's.
 */
export function usePair(topic: string, store: PairStore, args: string[] = [], env: Record<string, string> = {}): () => SyncPair {
  let root: string | undefined;
  let pair: SyncPair | undefined;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), `lockstep-${topic}-`));
    pair = await startSyncPair(root, store, args, env);
  }, 120_000);
  afterAll(async () => {
    await pair?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });
  return () => {
    if (!pair) throw new Error('the pair did not start; see the error of beforeAll');
    return pair;
  };
}
