import { open, type FileHandle } from 'node:fs/promises';
import type nedb from '@seald-io/nedb';
import { lineOf } from './nedb-lines.js';

interface Waiter {
  upTo: number;
  resolve(): void;
  reject(error: Error): void;
}

/**
 * Group commit for one NeDB collection file. NeDB applies a write in memory,
 * then appends its line to the file before the next write may start, so a
 * collection's writes go one file append at a time (about 0.1 ms each).
 * Here NeDB hands its lines over instead, and they are appended together,
 * one append for all the lines that came while the previous one ran.
 *
 * Durability does not change: a caller hears of its write only once its line
 * is in the file (`durable`), and a read answers only once every write it
 * could have seen is there, so nothing unwritten is ever acted on. The file
 * keeps NeDB's format and order, so loading it is unchanged.
 *
 * The file stays open between appends. Compaction replaces it with a new
 * file holding everything in memory, so the next append opens that one.
 */
export class GroupCommit {
  private pending: string[] = [];
  /** Lines handed over, and lines in the file, since the collection was opened. */
  private handed = 0;
  private written = 0;
  private waiters: Waiter[] = [];
  private appending = false;
  private failure: Error | undefined;
  private file: FileHandle | undefined;
  /** Set by a compaction: the open file is the replaced one. */
  private stale = false;

  constructor(
    private readonly filename: string,
    private readonly fileMode: number,
  ) {}

  /** Makes the datastore hand its lines to this group commit rather than append them itself. */
  static attach(datastore: nedb.default, filename: string): GroupCommit {
    const persistence = datastore.persistence as unknown as { persistNewStateAsync(docs: unknown[]): Promise<void>; modes: { fileMode: number } };
    const commit = new GroupCommit(filename, persistence.modes.fileMode);
    persistence.persistNewStateAsync = async (docs) => commit.hand(docs.map(lineOf));
    datastore.on('compaction.done', () => {
      commit.stale = true;
    });
    return commit;
  }

  /** Resolves once every line handed over so far is in the file. */
  durable(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.written === this.handed) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ upTo: this.handed, resolve, reject }));
  }

  private hand(lines: string[]): void {
    if (this.failure) throw this.failure;
    if (lines.length === 0) return;
    this.pending.push(...lines);
    this.handed += lines.length;
    // On the next turn, so that the writes of this one share the append.
    if (!this.appending) {
      this.appending = true;
      setImmediate(() => void this.append());
    }
  }

  private async append(): Promise<void> {
    while (this.pending.length > 0) {
      const lines = this.pending;
      this.pending = [];
      try {
        await (await this.openFile()).appendFile(`${lines.join('\n')}\n`, 'utf8');
      } catch (error) {
        // Memory is now ahead of the file, and only a restart, which reloads the file, puts them back in step.
        this.failure = new Error(`could not append to ${this.filename} (${(error as Error).message}); the embedded store stops writing it: free the disk or fix its permissions, then restart the runtime`, { cause: error });
        for (const waiter of this.waiters) waiter.reject(this.failure);
        this.waiters = [];
        return;
      }
      this.written += lines.length;
      const done = this.waiters.filter((waiter) => waiter.upTo <= this.written);
      this.waiters = this.waiters.filter((waiter) => waiter.upTo > this.written);
      for (const waiter of done) waiter.resolve();
    }
    this.appending = false;
  }

  private async openFile(): Promise<FileHandle> {
    if (this.stale) {
      this.stale = false;
      const replaced = this.file;
      this.file = undefined;
      await replaced?.close();
    }
    this.file ??= await open(this.filename, 'a', this.fileMode);
    return this.file;
  }

  /** Appends what is still pending, then closes the file; a later write opens it again. */
  async close(): Promise<void> {
    await this.durable();
    const file = this.file;
    this.file = undefined;
    await file?.close();
  }
}
