import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Collection as MongoCollection, type Db, MongoServerError } from 'mongodb';
import type { StoreOperation } from './port.js';

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
const LEASES = 'store_document_lease';
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

  constructor(
    db: Db,
    /** Told of each operation on the leases, so the store's counts (the bench's ops per change) include them. */
    private readonly heard: (operation: StoreOperation) => void,
  ) {
    this.leases = db.collection<Lease>(LEASES);
  }

  /** Runs `write` while this process alone, of all on the database, writes `collection`'s document `id`. */
  async hold<T>(collection: string, id: string, write: () => Promise<T>): Promise<T> {
    const lease = await this.take(`${collection}:${id}`);
    try {
      return await write();
    } finally {
      await this.release(lease);
    }
  }

  private async take(id: string): Promise<Lease> {
    for (let wait = FIRST_WAIT_MS; ; wait = Math.min(wait * 2, MOST_WAIT_MS)) {
      const lease: Lease = { _id: id, token: randomUUID(), until: Date.now() + LEASE_MS };
      if (await this.insertedFirst(lease)) return lease;
      const held = await this.read(id);
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
      const other = await this.read(takeover._id);
      if (other !== null && other.until <= Date.now()) await this.release(other);
      return false;
    }
    await this.release(lapsed);
    await this.release(takeover);
    return true;
  }

  private read(id: string): Promise<Lease | null> {
    this.heard({ collection: LEASES, kind: 'find', filter: { _id: id }, limit: 1 });
    return this.leases.findOne({ _id: id });
  }

  /** Deletes the lease by its token: one that lapsed meanwhile and was taken over is the new holder's. */
  private async release(lease: Lease): Promise<void> {
    this.heard({ collection: LEASES, kind: 'delete', filter: { _id: lease._id, token: lease.token }, limit: 1 });
    await this.leases.deleteOne({ _id: lease._id, token: lease.token });
  }

  private async insertedFirst(lease: Lease): Promise<boolean> {
    this.heard({ collection: LEASES, kind: 'insert', documents: 1 });
    try {
      await this.leases.insertOne(lease);
      return true;
    } catch (error) {
      if (error instanceof MongoServerError && error.code === 11000) return false;
      throw error;
    }
  }
}
