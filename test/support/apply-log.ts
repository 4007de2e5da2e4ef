import type { SyncEnvelope } from '@lockstep/schema';
import { expect } from 'vitest';
import type { ListedQueueItem } from './sync-queues.js';

/**
 * Checks B's inbound queue as the log of what B applied, and returns how many
 * changes of each sender record (by its sys_id on A) it holds. Per correlation
 * key the sequences are exactly 1…n, each once; every item is processed; each
 * started only after the one before it finished (applied one at a time, in
 * order); and sequence s carries A's change with mod count s-1, so B applied
 * A's writes of the record in the order A made them, none missing.
 */
export function expectAppliedInOrder(inbound: ListedQueueItem[]): Map<string, number> {
  const byKey = new Map<string, ListedQueueItem[]>();
  for (const item of inbound) byKey.set(item.correlation_key, [...(byKey.get(item.correlation_key) ?? []), item]);
  const problems: string[] = [];
  const changesOf = new Map<string, number>();
  for (const [key, items] of byKey) {
    const sorted = items.toSorted((one, other) => one.sequence - other.sequence);
    const envelopes = sorted.map((item) => JSON.parse(item.payload_json) as SyncEnvelope);
    const records = new Set(envelopes.map((envelope) => envelope.payload.sys_id));
    if (records.size !== 1) problems.push(`${key}: items of ${records.size} records under one key`);
    sorted.forEach((item, index) => {
      const where = `${key} sequence ${item.sequence}`;
      if (item.sequence !== index + 1) problems.push(`${where}: expected sequence ${index + 1} (a gap or a duplicate)`);
      if (item.status !== 'processed') problems.push(`${where}: ${item.status}${item.error_info ? ` (${item.error_info})` : ''}`);
      const modCount = envelopes[index]!.payload.metadata.mod_count;
      if (modCount !== item.sequence - 1) problems.push(`${where}: carries A's change with mod count ${modCount}`);
      const previous = sorted[index - 1];
      if (previous && (item.started_at ?? 0) < (previous.finished_at ?? Infinity)) problems.push(`${where}: started before sequence ${previous.sequence} finished`);
    });
    changesOf.set(envelopes[0]!.payload.sys_id, sorted.length);
  }
  expect(problems, "B's inbound queue as an ordered apply log").toEqual([]);
  return changesOf;
}
