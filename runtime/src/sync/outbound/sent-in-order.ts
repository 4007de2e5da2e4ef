import type { DocumentStore } from '@lockstep/store';

/** Keys remembered at most; beyond it all are forgotten, and the next item of each is checked in the store. */
const MAX_KEYS = 10_000;

interface Sent {
  sequence: number;
  /** When its claim was made: the order check it passed was just before. */
  claimedAt: number;
}

/**
 * The last item of each key this process sent, for the dispatcher's order
 * check (OutboundQueue.hasEarlierPending) of the item right after it. That
 * item was claimed only when nothing earlier of its key was still to go,
 * and nothing earlier can be made to go again: an admin's retry takes an
 * item in error (of which there was none before it), a reprocess only the
 * last of its key, and a redelivery is numbered after the last. So once it
 * is sent, the next has nothing before it, and needs no read to say so,
 * while no other process has written the database since that check
 * (DocumentStore.aloneSince); with others, the store is read.
 */
export class SentInOrder {
  private readonly last = new Map<string, Sent>();

  constructor(private readonly store: Pick<DocumentStore, 'aloneSince'>) {}

  /** `item` was sent, and recorded as processed, after a claim at `claimedAt`. */
  sent(item: { correlation_key: string; sequence: number }, claimedAt: number): void {
    if (this.last.size >= MAX_KEYS) this.last.clear();
    this.last.set(item.correlation_key, { sequence: item.sequence, claimedAt });
  }

  /** True when the item just before `item` in its key was sent here, with this process alone on its database since. */
  follows(item: { correlation_key: string; sequence: number }): boolean {
    const sent = this.last.get(item.correlation_key);
    const alone = this.store.aloneSince();
    return sent !== undefined && sent.sequence === item.sequence - 1 && alone !== undefined && alone <= sent.claimedAt;
  }
}
