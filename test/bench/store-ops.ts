import type { OperationCounts } from '@lockstep/store';
import type { PairInstance, SyncPair } from '../support/sync-pair.js';

type Print = (line: string) => void;
type PairOps = [OperationCounts | undefined, OperationCounts | undefined];

/** The environment that makes a runtime count its store operations by kind and show them in /health. */
export const countStoreOps = { LOCKSTEP_COUNT_STORE_OPS: '1' };

/** A's and B's store operations so far, from /health; undefined for an instance not started with `countStoreOps`. */
export function storeOpsOf(pair: SyncPair): Promise<PairOps> {
  const of = async (instance: PairInstance) => ((await (await fetch(`${instance.url}/health`)).json()) as { store: { operations?: OperationCounts } }).store.operations;
  return Promise.all([of(pair.a), of(pair.b)]);
}

/** Each instance's store operations between `before` and `after`, by kind, divided by the changes made meanwhile. */
export function printStoreOps(print: Print, before: PairOps, after: PairOps, changes: number, indent: string): void {
  const rows = (['A (consumer)', 'B (provider)'] as const).flatMap((name, index) => {
    const [from, to] = [before[index], after[index]];
    return from === undefined || to === undefined ? [] : [{ name, perChange: perChange(from, to, changes) }];
  });
  const [first] = rows;
  if (first === undefined) return;
  const header = [...Object.keys(first.perChange), 'total'];
  const widths = header.map((column) => Math.max(column.length, 5) + 2);
  const cells = (values: string[]) => values.map((value, column) => value.padStart(widths[column] ?? 0)).join('');
  const label = 'store operations per change';
  print(`${indent}${label}${cells(header)}`);
  for (const { name, perChange: counts } of rows) {
    const values = Object.values(counts);
    print(`${indent}${`  ${name}`.padEnd(label.length)}${cells([...values, values.reduce((sum, value) => sum + value, 0)].map((value) => value.toFixed(2)))}`);
  }
}

function perChange(from: OperationCounts, to: OperationCounts, changes: number): Record<string, number> {
  return Object.fromEntries(Object.entries(to).map(([kind, count]) => [kind, (count - from[kind as keyof OperationCounts]) / changes]));
}
