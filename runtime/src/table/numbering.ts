import { insertedFirst, type Collection, type DocumentStore, type StoredDocument } from '@lockstep/store';

/** One record number given out: `<prefix>#<count>`, unique, so that no two inserts share it. */
interface IssuedNumber extends StoredDocument {
  prefix: string;
  count: number;
}

/** A prefix's counter as it was kept before numbers were inserted one by one: where a prefix with none issued yet goes on from. */
interface LegacyCounter extends StoredDocument {
  next: number;
}

/** The original's numbers start at 0010001 and have seven digits. */
const FIRST = 10_001;
/** Processes creating records of one prefix at once (several runtime processes on MongoDB) settle within a few rounds. */
const MAX_ATTEMPTS = 50;

/**
 * Hands out record numbers (INC0010001, CS0010002 …) per prefix. A number
 * is taken by inserting it under a unique id: of the inserts that want one
 * number at once, in this process or others on the same database, one wins
 * and the others meet a duplicate key and take the next. A unique insert is
 * the one write FerretDB v1 does atomically; its `$inc` is a read, then a
 * write of the whole document, so two processes may bump a counter to the
 * same value. Each prefix's last number is remembered, so a create takes
 * one insert and no read unless another process took the number first.
 */
export class RecordNumbers {
  private readonly issued: Collection<IssuedNumber>;
  private readonly legacy: Collection<LegacyCounter>;
  /** The last count taken, or being taken, per prefix, as this process last saw it. */
  private readonly last = new Map<string, number>();

  constructor(store: DocumentStore) {
    this.issued = store.collection<IssuedNumber>('sys_number_issued');
    this.legacy = store.collection<LegacyCounter>('sys_number');
  }

  /** The index the read of a prefix's last number takes. */
  async prepare(): Promise<void> {
    await this.issued.createIndex({ fields: ['prefix', 'count'] });
  }

  async next(prefix: string): Promise<string> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const read = this.last.has(prefix) ? 0 : await this.lastIssued(prefix);
      // Taken before the insert, so that the creates of this process at once each try a number of their own; all
      // trying the same one, all but one failed and read the prefix's numbers again, round after round.
      const count = (this.last.get(prefix) ?? read) + 1;
      this.last.set(prefix, count);
      if (await insertedFirst(this.issued, { _id: `${prefix}#${count}`, prefix, count })) {
        return prefix + String(FIRST - 1 + count).padStart(7, '0');
      }
      // Another process took it: read where the prefix stands, unless this process has gone on meanwhile.
      if (this.last.get(prefix) === count) this.last.delete(prefix);
    }
    throw new Error(`the numbers of ${prefix} kept being taken under ${MAX_ATTEMPTS} attempts to number a record`);
  }

  private async lastIssued(prefix: string): Promise<number> {
    const last = await this.issued.findOne({ prefix }, { sort: { count: -1 } });
    if (last !== null) return last.count;
    return (await this.legacy.findOne({ _id: prefix }))?.next ?? 0;
  }
}
