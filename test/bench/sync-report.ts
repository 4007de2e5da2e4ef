import { ms, spreadOf } from './stats.js';
import type { ChangeTimes } from './sync-timeline.js';

type Print = (line: string) => void;

/** Each stage of a change's way, as the two queues' timestamps divide it. */
const stages: [string, (change: ChangeTimes) => number][] = [
  ['write on A (HTTP, sent → acknowledged)', (c) => c.write.ackedAt - c.write.sentAt],
  ['relay (A written → outbound item)', (c) => c.queuedAt - c.capturedAt],
  ['outbound wait (→ dispatcher claim)', (c) => c.claimedAt - c.queuedAt],
  ['send (outbound flow → queued on B)', (c) => c.receivedAt - c.claimedAt],
  ['inbound wait (→ processor claim)', (c) => c.applyingAt - c.receivedAt],
  ['apply (inbound flow on B)', (c) => c.appliedAt - c.applyingAt],
  ['A written → applied on B', (c) => c.appliedAt - c.capturedAt],
];

/** From A's acknowledgement of the write to B's inbound flow finishing: the latency the goals speak of. */
export const endToEnd = (change: ChangeTimes): number => change.appliedAt - change.write.ackedAt;

export function printLatency(print: Print, changes: ChangeTimes[], indent: string): void {
  const total = spreadOf(changes.map(endToEnd));
  print(`${indent}A acknowledged → applied on B: p50 ${ms(total.p50)}, p95 ${ms(total.p95)}, p99 ${ms(total.p99)}, max ${ms(total.max)}`);
}

export function printStages(print: Print, changes: ChangeTimes[], indent: string): void {
  const width = Math.max(...stages.map(([name]) => name.length)) + 2;
  print(`${indent}${'stage'.padEnd(width)}${'p50'.padStart(9)}${'p95'.padStart(9)}${'p99'.padStart(9)}`);
  for (const [name, of] of stages) {
    const spread = spreadOf(changes.map(of));
    print(`${indent}${name.padEnd(width)}${ms(spread.p50).padStart(9)}${ms(spread.p95).padStart(9)}${ms(spread.p99).padStart(9)}`);
  }
}

/** First write sent to last change applied on B. */
export function changesPerSecond(changes: ChangeTimes[]): { perSecond: number; seconds: number } {
  const first = Math.min(...changes.map((change) => change.write.sentAt));
  const last = Math.max(...changes.map((change) => change.appliedAt));
  const seconds = (last - first) / 1000;
  return { perSecond: changes.length / seconds, seconds };
}
