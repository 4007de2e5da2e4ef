import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Collection as MongoCollection, type Db, MongoServerError } from 'mongodb';

/** One process's hold on one document while it writes it. */
interface Lease {
  /** `<collection>:<document id>`; a takeover of a lapsed lease is `<lease id>@<its token>`. */
  _id: string;
  token: string;
  until: number;
}

/**
 * How long a lease holds: how long a document stays locked after its writer
 * was killed mid-write. A write takes milliseconds, but seconds on a
 * starved machine, and one that outlasts its lease may overlap another's.
 */
const LEASE_MS = 10_000;
/** Waits between looks at a lease another process holds, doubling up to the most. */
const FIRST_WAIT_MS = 2;
const MOST_WAIT_MS = 50;

/**
 * Locks one document across processes for the length of one write, on
 * FerretDB v1. It runs an update, a findAndModify or a delete as a read, then
 * a write of the whole document as it read it, so two processes writing one
 * document at once lose one's change: a record's update, or the intents a
 * write appended to its outbox while another process's relay cleared them.
 * (Within a process the writes to a document are queued: documentWrites.)
 *
 * A unique insert is the one write FerretDB does atomically, so a lease is a
 * document inserted under the written document's id: whoever inserts it
 * writes, the others wait until it is deleted. A lease left by a killed
 * process lapses after LEASE_MS; taking it over is itself a unique insert
 * (of `<lease>@<token>`), so of the processes that saw it lapse, one deletes
 * it, and none can delete a lease taken since.
 */
export class DocumentLeases {
  private readonly leases: MongoCollection<Lease>;

  constructor(db: Db) {
    this.leases = db.collection<Lease>('store_document_lease');
  }

  /** Runs `write` while this process alone, of all on the database, writes `collection`'s document `id`. */
  async hold<T>(collection: string, id: string, write: () => Promise<T>): Promise<T> {
    const lease = await this.take(`${collection}:${id}`);
    try {
      return await write();
    } finally {
      // By its token: a lease that lapsed meanwhile and was taken over is the new holder's.
      await this.leases.deleteOne({ _id: lease._id, token: lease.token });
    }
  }

  private async take(id: string): Promise<Lease> {
    for (let wait = FIRST_WAIT_MS; ; wait = Math.min(wait * 2, MOST_WAIT_MS)) {
      const lease: Lease = { _id: id, token: randomUUID(), until: Date.now() + LEASE_MS };
      if (await this.insertedFirst(lease)) return lease;
      const held = await this.leases.findOne({ _id: id });
      if (held === null) continue;
      // Held, or being taken over by another process: look again in a while.
      if (held.until > Date.now() || !(await this.takeOver(held))) await sleep(wait);
    }
  }

  /**
   * Deletes a lapsed lease, if this process is the one of those that saw it
   * lapse whose takeover (a lease on its token) goes in first. A takeover
   * left by a process killed in the middle of one lapses as a lease does,
   * and is deleted the same way, so that it does not hold the document for
   * ever. False when another process is taking it over.
   */
  private async takeOver(lapsed: Lease): Promise<boolean> {
    const takeover: Lease = { _id: `${lapsed._id}@${lapsed.token}`, token: randomUUID(), until: Date.now() + LEASE_MS };
    if (!(await this.insertedFirst(takeover))) {
      const other = await this.leases.findOne({ _id: takeover._id });
      if (other !== null && other.until <= Date.now()) await this.leases.deleteOne({ _id: other._id, token: other.token });
      return false;
    }
    await this.leases.deleteOne({ _id: lapsed._id, token: lapsed.token });
    await this.leases.deleteOne({ _id: takeover._id, token: takeover.token });
    return true;
  }

  private async insertedFirst(lease: Lease): Promise<boolean> {
    try {
      await this.leases.insertOne(lease);
      return true;
    } catch (error) {
      if (error instanceof MongoServerError && error.code === 11000) return false;
      throw error;
    }
  }
}
