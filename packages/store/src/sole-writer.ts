import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Collection as MongoCollection, type Db, type Filter as MongoFilter, MongoServerError } from 'mongodb';
import type { StoreOperation } from './port.js';

/** A process that uses the database, while it renews `until`. */
interface Presence {
  _id: string;
  state: 'running';
  until: number;
}

/** The process that writes the database without document leases, while no other uses it. */
interface SoleHold {
  _id: typeof SOLE;
  holder: string;
  until: number;
}

const PROCESSES = 'store_process';
const SOLE_HOLDS = 'store_sole_writer';
const SOLE = 'sole';
/**
 * How long a presence or the sole hold stands unrenewed: as long as a
 * document lease, since a process stalled past it may write beside another
 * that took it for gone, as one stalled past its lease may.
 */
const HOLD_MS = 10_000;
/** How often each process renews its presence (and hold) and looks at the others: how long a newcomer waits for a sole writer to make way. */
const LOOK_MS = 2_000;
/** A write starts on a presence or hold only while this much of it is left, so that it ends well before the hold lapses. */
const MARGIN_MS = HOLD_MS / 2;
/** Waits between looks at another process's sole hold. */
const POLL_MS = 100;
/** Presences of processes gone this long are deleted at a start, so that killed processes' do not pile up. */
const FORGOTTEN_MS = 10 * 60_000;

/**
 * Lets a process that is alone on a FerretDB database skip the document
 * leases (DocumentLeases), which cost each write to one document an insert
 * and a delete, and takes them again as soon as another process comes.
 *
 * Every process writes a presence and renews it every LOOK_MS. One that
 * sees no other present inserts the sole hold (a unique insert, which
 * FerretDB does atomically), then looks again: if still none, it writes
 * without leases while it renews the hold, and holds what it reads for as
 * long (aloneSince). A process that comes registers first, then looks for a
 * hold, and writes nothing until the hold is gone: the holder sees its presence at its next look, lets its
 * writes in flight end, and deletes the hold; a hold whose holder was killed
 * lapses after HOLD_MS. As both write first and read second, either the
 * holder sees the newcomer or the newcomer sees the hold.
 */
export class SoleWriter {
  private readonly me = randomUUID();
  private readonly processes: MongoCollection<Presence>;
  private readonly holds: MongoCollection<SoleHold>;
  /** Until when this process's presence stands, as it last wrote it. */
  private presentUntil = 0;
  /** Until when this process's sole hold stands; 0 while it holds none. */
  private soleUntil = 0;
  /** When this process took the hold it holds. */
  private soleSince = 0;
  /** No other process's hold stood when this one looked, after its presence was written; good while that stands. */
  private sharedChecked = false;
  private checking: Promise<void> | undefined;
  /** The hold being given up: its writes in flight end, then it is deleted. */
  private givingUp: Promise<void> | undefined;
  private unleased = 0;
  private readonly drained: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private looking: Promise<void> | undefined;

  private constructor(
    db: Db,
    private readonly heard: (operation: StoreOperation) => void,
  ) {
    this.processes = db.collection<Presence>(PROCESSES);
    this.holds = db.collection<SoleHold>(SOLE_HOLDS);
  }

  /** Registers this process, takes the sole hold if no other is present, and looks again every LOOK_MS. */
  static async start(db: Db, heard: (operation: StoreOperation) => void): Promise<SoleWriter> {
    const writer = new SoleWriter(db, heard);
    heard({ collection: PROCESSES, kind: 'createIndex' });
    await writer.processes.createIndex({ state: 1 });
    const forgotten = { until: { $lt: Date.now() - FORGOTTEN_MS } };
    heard({ collection: PROCESSES, kind: 'delete', filter: forgotten });
    await writer.processes.deleteMany(forgotten);
    await writer.look();
    // A look that fails (the database unreachable) is made again at the next; meanwhile the hold and the presence lapse as they would.
    writer.timer = setInterval(() => void (writer.looking ??= writer.look().catch(() => undefined).finally(() => (writer.looking = undefined))), LOOK_MS);
    writer.timer.unref();
    return writer;
  }

  /** Since when this process has held the database alone, while it does (DocumentStore.aloneSince). */
  aloneSince(): number | undefined {
    return Date.now() < this.soleUntil - MARGIN_MS ? this.soleSince : undefined;
  }

  /**
   * Runs `write` alone when this process holds the database alone;
   * otherwise `leased`, once no other process holds it. Every write waits
   * so, inserts too (`leased` being the write itself), so that nothing is
   * written beside a process that holds the database alone.
   */
  async run<T>(write: () => Promise<T>, leased: () => Promise<T>): Promise<T> {
    if (Date.now() < this.soleUntil - MARGIN_MS) return this.unleasedWrite(write);
    await this.sharing();
    return leased();
  }

  /** Stops looking, gives the hold up, and leaves. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.looking;
    await this.giveUp();
    this.heard({ collection: PROCESSES, kind: 'delete', filter: { _id: this.me }, limit: 1 });
    await this.processes.deleteOne({ _id: this.me });
  }

  private async unleasedWrite<T>(write: () => Promise<T>): Promise<T> {
    this.unleased += 1;
    try {
      return await write();
    } finally {
      this.unleased -= 1;
      if (this.unleased === 0) for (const done of this.drained.splice(0)) done();
    }
  }

  /** Returns once this process is present and no other process's sole hold stands. */
  private async sharing(): Promise<void> {
    while (!this.sharedChecked || Date.now() >= this.presentUntil - MARGIN_MS) {
      this.checking ??= this.checkShared().finally(() => (this.checking = undefined));
      await this.checking;
    }
  }

  private async checkShared(): Promise<void> {
    await this.givingUp;
    if (Date.now() >= this.presentUntil - MARGIN_MS) await this.renewPresence();
    for (;;) {
      const hold = await this.hold();
      // This process's own hold keeps every other off unleased writes as well.
      if (hold === null || hold.holder === this.me) break;
      if (hold.until < Date.now()) await this.deleteHold(hold);
      else await sleep(POLL_MS);
    }
    this.sharedChecked = true;
  }

  /** Renews this process's presence and hold, then gives the hold up when another process is present, or takes it when none is. */
  private async look(): Promise<void> {
    const now = Date.now();
    await this.renewPresence();
    // A hold that lapsed (this process stalled past it) is not renewed: another may be deleting it.
    if (this.soleUntil > 0 && now >= this.soleUntil) await this.giveUp();
    if (this.soleUntil > 0) {
      this.heard({ collection: SOLE_HOLDS, kind: 'update', filter: { _id: SOLE, holder: this.me }, limit: 1 });
      const { matchedCount } = await this.holds.updateOne({ _id: SOLE, holder: this.me }, { $set: { until: now + HOLD_MS } });
      this.soleUntil = matchedCount === 1 ? now + HOLD_MS : 0;
    }
    const alone = !(await this.othersPresent());
    if (this.soleUntil > 0 && !alone) await this.giveUp();
    else if (this.soleUntil === 0 && alone) await this.takeHold(now);
  }

  private async takeHold(now: number): Promise<void> {
    const hold: SoleHold = { _id: SOLE, holder: this.me, until: now + HOLD_MS };
    this.heard({ collection: SOLE_HOLDS, kind: 'insert', documents: 1 });
    try {
      await this.holds.insertOne(hold);
    } catch (error) {
      if (error instanceof MongoServerError && error.code === 11000) return;
      throw error;
    }
    // Looked at again after the insert: a process that came meanwhile, and saw no hold, is present by now.
    if (await this.othersPresent()) {
      await this.deleteHold(hold);
      return;
    }
    this.sharedChecked = false;
    this.soleSince = Date.now();
    this.soleUntil = hold.until;
  }

  /** New writes take leases at once; the hold goes when the writes made without them have ended. */
  private giveUp(): Promise<void> {
    if (this.soleUntil === 0) return this.givingUp ?? Promise.resolve();
    this.soleUntil = 0;
    this.givingUp = (async () => {
      if (this.unleased > 0) await new Promise<void>((done) => this.drained.push(done));
      await this.deleteHold({ _id: SOLE, holder: this.me });
    })().finally(() => (this.givingUp = undefined));
    return this.givingUp;
  }

  private async renewPresence(): Promise<void> {
    const now = Date.now();
    this.heard({ collection: PROCESSES, kind: 'update', filter: { _id: this.me }, limit: 1 });
    await this.processes.updateOne({ _id: this.me }, { $set: { state: 'running', until: now + HOLD_MS } }, { upsert: true });
    // Lapsed meanwhile: another process may have taken the hold, thinking this one gone.
    if (now >= this.presentUntil) this.sharedChecked = false;
    this.presentUntil = now + HOLD_MS;
  }

  private async othersPresent(): Promise<boolean> {
    this.heard({ collection: PROCESSES, kind: 'find', filter: { state: 'running' } });
    const now = Date.now();
    return (await this.processes.find({ state: 'running' }).toArray()).some(({ _id, until }) => _id !== this.me && until >= now);
  }

  private hold(): Promise<SoleHold | null> {
    this.heard({ collection: SOLE_HOLDS, kind: 'find', filter: { _id: SOLE }, limit: 1 });
    return this.holds.findOne({ _id: SOLE });
  }

  /** By its holder and, for a lapsed one, its time: a hold renewed or taken anew meanwhile stays. */
  private async deleteHold({ holder, until }: Pick<SoleHold, 'holder'> & Partial<SoleHold>): Promise<void> {
    const filter: MongoFilter<SoleHold> = until === undefined ? { _id: SOLE, holder } : { _id: SOLE, holder, until };
    this.heard({ collection: SOLE_HOLDS, kind: 'delete', filter: { ...filter }, limit: 1 });
    await this.holds.deleteOne(filter);
  }
}
