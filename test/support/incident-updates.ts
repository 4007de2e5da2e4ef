import type { PairInstance } from './sync-pair.js';

/** One Table API update of an incident. */
export interface IncidentUpdate {
  sysId: string;
  values: Record<string, string>;
}

/** Incident states the updates move through; each has a case state in the demo's map. */
const STATES = ['2', '3', '6', '1', '7', '8'];

/** The values of update `index`, of one of four kinds, so that each incident gets each kind in turn. */
function valuesOf(kind: number, index: number, label: string): Record<string, string> {
  switch (kind) {
    case 0:
      return { description: `${label} description ${index}` };
    case 1:
      return { priority: String(1 + (index % 5)) };
    case 2:
      return { state: STATES[index % STATES.length]!, work_notes: `${label} work note ${index}` };
    default:
      return { comments: `${label} comment ${index}` };
  }
}

/**
 * `count` updates interleaved across `incidents`: consecutive ones go to
 * different incidents, and each incident gets in turn a new description, a
 * new priority, a new state with a work note, and a comment. Every update
 * changes a synced field, so each is one captured change.
 */
export function interleavedUpdates(incidents: string[], count: number, label: string): IncidentUpdate[] {
  return Array.from({ length: count }, (_, index) => {
    const round = Math.floor(index / incidents.length);
    const position = index % incidents.length;
    return { sysId: incidents[position]!, values: valuesOf((round + position) % 4, index, label) };
  });
}

/** Runs `work` on every item, at most `concurrency` at once, in the items' order of start. */
export async function inParallel<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** Creates `count` incidents on A labelled `label 1`, `label 2`…, and returns their sys_ids in that order. */
export async function createIncidents(a: PairInstance, count: number, label: string): Promise<string[]> {
  const ids: string[] = new Array(count);
  const numbers = Array.from({ length: count }, (_, index) => index);
  await inParallel(numbers, 4, async (index) => {
    ids[index] = await a.api.create('/api/now/table/incident', { short_description: `${label} ${index + 1}`, priority: '3', state: '1' });
  });
  return ids;
}

export function sendUpdate(a: PairInstance, update: IncidentUpdate): Promise<unknown> {
  return a.api.call('PATCH', `/api/now/table/incident/${update.sysId}`, update.values);
}
