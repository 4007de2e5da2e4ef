import type { OperationCounts } from '@lockstep/store';
import type { PairInstance, SyncPair } from '../support/sync-pair.js';

type Print = (line: string) => void;
/** An instance's operations by kind, and by collection and kind ("queue_items find"). */
interface InstanceOps {
  byKind: OperationCounts;
  byCollection: Record<string, number>;
}
type PairOps = [InstanceOps | undefined, InstanceOps | undefined];

/** The environment that makes a runtime count its store operations by kind and show them in /health. */
export const countStoreOps = { LOCKSTEP_COUNT_STORE_OPS: '1' };

/** A's and B's store operations so far, from /health; undefined for an instance not started with `countStoreOps`. */
export function storeOpsOf(pair: SyncPair): Promise<PairOps> {
  const of = async (instance: PairInstance): Promise<InstanceOps | undefined> => {
    const { store } = (await (await fetch(`${instance.url}/health`)).json()) as { store: { operations?: OperationCounts; operations_by_collection?: Record<string, number> } };
    return store.operations === undefined ? undefined : { byKind: store.operations, byCollection: store.operations_by_collection ?? {} };
  };
  return Promise.all([of(pair.a), of(pair.b)]);
}

/** Each instance's store operations between `before` and `after`, by kind, divided by the changes made meanwhile (or by the seconds, `per` 'second'). */
export function printStoreOps(print: Print, before: PairOps, after: PairOps, changes: number, indent: string, per: 'change' | 'second' = 'change'): void {
  const rows = (['A (consumer)', 'B (provider)'] as const).flatMap((name, index) => {
    const [from, to] = [before[index], after[index]];
    return from === undefined || to === undefined ? [] : [{ name, perChange: perChange(from.byKind, to.byKind, changes), byCollection: perChange(from.byCollection, to.byCollection, changes) }];
  });
  const [first] = rows;
  if (first === undefined) return;
  const header = [...Object.keys(first.perChange), 'total'];
  const widths = header.map((column) => Math.max(column.length, 5) + 2);
  const cells = (values: string[]) => values.map((value, column) => value.padStart(widths[column] ?? 0)).join('');
  const label = `store operations per ${per}`;
  print(`${indent}${label}${cells(header)}`);
  for (const { name, perChange: counts } of rows) {
    const values = Object.values(counts);
    print(`${indent}${`  ${name}`.padEnd(label.length)}${cells([...values, values.reduce((sum, value) => sum + value, 0)].map((value) => value.toFixed(2)))}`);
  }
  for (const { name, byCollection } of rows) {
    const busiest = Object.entries(byCollection).filter(([, count]) => count >= 0.01).sort(([, a], [, b]) => b - a);
    print(`${indent}  ${name} by collection: ${busiest.map(([key, count]) => `${key} ${count.toFixed(2)}`).join(', ')}`);
  }
}

function perChange<K extends string>(from: Record<K, number>, to: Record<K, number>, changes: number): Record<string, number> {
  return Object.fromEntries(Object.entries<number>(to).map(([key, count]) => [key, (count - (from[key as K] ?? 0)) / changes]));
}
