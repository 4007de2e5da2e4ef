import { inParallel } from '../support/incident-updates.js';
import type { TableWriter, Write, WriteKind } from './table-writer.js';

type Progress = (line: string) => void;

/**
 * Closed-loop load, as fast as A accepts it: `records` incidents created,
 * then each updated, then each commented on, `concurrency` writes in flight.
 */
export async function writeAsFastAsAccepted(writer: TableWriter, records: number, concurrency: number, progress: Progress): Promise<Write[]> {
  const writes: Write[] = [];
  const created: string[] = [];
  const indexes = Array.from({ length: records }, (_unused, index) => index);
  const phases: [WriteKind, string][] = [['create', 'created'], ['update', 'updated'], ['comment', 'commented on']];
  for (const [kind, done] of phases) {
    const started = Date.now();
    await inParallel(indexes, concurrency, async (index) => {
      const write = await writer.write(kind, created[index]);
      if (kind === 'create') created[index] = write.sysId;
      writes.push(write);
    });
    const seconds = (Date.now() - started) / 1000;
    progress(`    ${records} incidents ${done} on A in ${seconds.toFixed(1)} s (${Math.round(records / seconds).toLocaleString('en')} writes/s accepted)`);
  }
  return writes;
}

export interface PacedLoad {
  writes: Write[];
  /** How late writes went out against their schedule: a generator that cannot keep up shows here. */
  lateness: number[];
}

/** Writes in flight beyond which A is taken not to keep up with the offered rate. */
const MAX_IN_FLIGHT = 1_000;

/**
 * Open-loop load at a fixed rate: change k goes out at start + k / rate,
 * whether or not earlier ones were answered. Slots cycle create, update,
 * comment; an update or comment takes the oldest incident whose previous
 * change was acknowledged, and a create stands in when none is.
 */
export async function writeAtRate(writer: TableWriter, changes: number, perSecond: number, progress: Progress): Promise<PacedLoad> {
  const writes: Write[] = [];
  const lateness: number[] = [];
  const awaitingUpdate: string[] = [];
  const awaitingComment: string[] = [];
  const inFlight = new Set<Promise<void>>();
  const start = Date.now();
  let failure: unknown;
  const issue = (slot: number) => {
    const wanted = (['create', 'update', 'comment'] as const)[slot % 3] as WriteKind;
    const sysId = wanted === 'update' ? awaitingUpdate.shift() : wanted === 'comment' ? awaitingComment.shift() : undefined;
    const kind = sysId === undefined ? 'create' : wanted;
    const work = writer.write(kind, sysId).then(
      (write) => {
        writes.push(write);
        if (kind === 'create') awaitingUpdate.push(write.sysId);
        if (kind === 'update') awaitingComment.push(write.sysId);
      },
      (error: unknown) => {
        failure ??= error;
      },
    );
    const tracked = work.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  };
  let nextReport = start + 2_000;
  for (let slot = 0; slot < changes; ) {
    if (failure) throw failure;
    if (inFlight.size > MAX_IN_FLIGHT) throw new Error(`A fell ${MAX_IN_FLIGHT} writes behind the offered ${perSecond} writes/s; run the latency bench at a lower rate (LOCKSTEP_BENCH_RATE)`);
    const now = Date.now();
    while (slot < changes && start + (slot * 1000) / perSecond <= now) {
      lateness.push(now - (start + (slot * 1000) / perSecond));
      issue(slot++);
    }
    if (now >= nextReport) {
      progress(`    ${slot} of ${changes} changes written, ${inFlight.size} in flight`);
      nextReport += 2_000;
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(inFlight);
  if (failure) throw failure;
  return { writes, lateness };
}
