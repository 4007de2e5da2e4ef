import { expect } from 'vitest';
import { expectAppliedInOrder } from './apply-log.js';
import { expectCasesMirrorIncidents, type SyncedRecord } from './incident-case.js';
import type { SyncPair } from './sync-pair.js';
import { queueItems } from './sync-queues.js';

/** The changes A's incidents have made: each one's insert (mod count 0) and every update after it. */
export function changesMade(incidents: readonly Pick<SyncedRecord, 'sys_mod_count'>[]): number {
  return incidents.reduce((sum, incident) => sum + incident.sys_mod_count + 1, 0);
}

/**
 * Once both queues are still: every change of A's incidents labelled
 * `label` was sent once (A's outbound queue holds one processed item for
 * each, nothing else) and applied once and in order on B (B's inbound
 * queue, read as its apply log), and each case ended up equal to its
 * incident. Returns A's incidents.
 */
export async function expectEveryChangeOnce(pair: SyncPair, label: string): Promise<SyncedRecord[]> {
  const changesOf = expectAppliedInOrder(await queueItems(pair.b, 'inbound'));
  const incidents = await expectCasesMirrorIncidents(pair, label);
  expect([...changesOf.keys()].sort(), 'B received changes of these incidents and no others').toEqual(incidents.map((incident) => incident.sys_id).sort());
  for (const incident of incidents) expect(changesOf.get(incident.sys_id), `changes of ${incident.short_description} on B`).toBe(incident.sys_mod_count + 1);
  const outbound = await queueItems(pair.a, 'outbound');
  expect(outbound.filter((item) => item.status !== 'processed'), "A's outbound items not processed").toEqual([]);
  expect(outbound, "A's outbound queue, one item per change").toHaveLength(changesMade(incidents));
  return incidents;
}
