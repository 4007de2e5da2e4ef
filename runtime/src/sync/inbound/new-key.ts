import type { SyncEnvelope } from '@lockstep/schema';
import { parseDateTime } from '../../time.js';

/**
 * Whether the envelope is the first of its key, with nothing of the key
 * applied here but that very change, if it came before: its sequence is 1,
 * and it was made on the sender less than half the retention of processed
 * and skipped items (`doneRetentionMs`) from now.
 *
 * A sender sends a key's changes in order, each once the one before is
 * acknowledged, so the receiver holds nothing of a key before its first.
 * The stored cursor, and so an applied item's absence, is written only when
 * retention removes the key's settled items, each received here after that
 * first change was made, and removed only once older than the retention.
 * So while the first change is younger, every item of its key is still
 * here: the first itself too, if it came before, which the queue's unique
 * index on key and sequence then finds. Half the retention leaves the two
 * instances' clocks that much to differ by (3.5 days at the default of 7);
 * a change stamped further from now either way is read as any other.
 */
export function firstOfNewKey(envelope: SyncEnvelope, doneRetentionMs: number, now: number): boolean {
  if (envelope.sequence !== 1) return false;
  const stamp = parseDateTime(envelope.payload.metadata.changed_on);
  if (stamp === undefined) return false;
  const madeAt = Date.parse(`${stamp.replace(' ', 'T')}Z`);
  return Number.isFinite(madeAt) && Math.abs(now - madeAt) < doneRetentionMs / 2;
}
