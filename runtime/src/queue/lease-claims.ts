import { insertedFirst, type Collection, type DocumentStore, type Filter, type StoredDocument, type Update } from '@lockstep/store';

/** One claim of one item, in the claim log: the generation counts the item's claims. */
interface StoredClaim extends StoredDocument {
  /** `<collection>:<item id>`. */
  item: string;
  generation: number;
  lease_until: number;
}

/** What a claim made through the log must give back when its work ends. */
export interface ClaimTicket {
  logId: string | null;
}

const CLAIM_LOG = 'queue_claim';

/**
 * Takes queue items by lease so that two processes never both hold one.
 *
 * Where the store's conditional updates are atomic for every writer of the
 * database (MongoDB; the embedded store, which one process owns), a claim is
 * one compare-and-set: the item moves only while it still matches `due`.
 *
 * FerretDB v1 runs a conditional update as a read, then a write, so two
 * processes may both see an item due and both move it. A unique insert is
 * the one write it does atomically (the backend's unique constraint), so
 * there a claim is first an insert into a claim log of `<item>#<generation>`:
 * of the processes that saw the same last claim lapse, one inserts the next
 * generation and the others get a duplicate key. Only the winner then moves
 * the item, and it ends its claim (deletes its entry) when its work ends.
 */
export class LeaseClaims {
  private readonly log: Collection<StoredClaim>;

  constructor(private readonly store: DocumentStore) {
    this.log = store.collection<StoredClaim>(CLAIM_LOG);
  }

  async prepare(): Promise<void> {
    if (!this.store.conditionalWritesAtomic) await this.log.createIndex({ fields: ['item'] });
  }

  /**
   * Moves the item by `update` if it still matches `due` and no other claim
   * holds it: the moved item and its ticket, or null.
   */
  async claim<T extends StoredDocument>(items: Collection<T>, id: string, due: Filter, update: Update, now: number, leaseUntil: number): Promise<{ item: T; ticket: ClaimTicket } | null> {
    if (this.store.conditionalWritesAtomic) {
      const item = await items.findOneAndUpdate({ ...due, _id: id }, update);
      return item && { item, ticket: { logId: null } };
    }
    const key = `${items.name}:${id}`;
    const last = await this.log.findOne({ item: key }, { sort: { generation: -1 } });
    if (last && last.lease_until >= now) return null;
    const generation = (last?.generation ?? 0) + 1;
    const logId = `${key}#${generation}`;
    if (!(await insertedFirst(this.log, { _id: logId, item: key, generation, lease_until: leaseUntil }))) return null;
    // This generation is ours: the lapsed one before it is of no more use.
    if (last) await this.log.deleteOne({ _id: last._id });
    const item = await items.findOneAndUpdate({ ...due, _id: id }, update);
    if (!item) {
      await this.end({ logId });
      return null;
    }
    return { item, ticket: { logId } };
  }

  /** Extends a claim to `leaseUntil`: the item's own `lease_until`, while it is still `held`, and its log entry. */
  async renew<T extends StoredDocument>(items: Collection<T>, id: string, held: Filter, leaseUntil: number, ticket: ClaimTicket): Promise<void> {
    await items.updateOne({ ...held, _id: id }, { $set: { lease_until: leaseUntil } });
    if (ticket.logId !== null) await this.log.updateOne({ _id: ticket.logId }, { $set: { lease_until: leaseUntil } });
  }

  /** Ends a claim whose work is over, so the item may be claimed again at once (a retry, say). */
  async end(ticket: ClaimTicket): Promise<void> {
    if (ticket.logId !== null) await this.log.deleteOne({ _id: ticket.logId });
  }
}
