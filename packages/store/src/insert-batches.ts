import { MongoBulkWriteError, MongoServerError } from 'mongodb';

interface Waiting<D> {
  doc: D;
  resolve(): void;
  reject(error: unknown): void;
}

/** Writes documents in one round trip; an unordered insertMany, whose failures name the documents they were of. */
export type InsertAll<D> = (docs: D[]) => Promise<void>;

/**
 * Group commit for one MongoDB collection's single-document inserts: the
 * first goes at once, alone; those asked for while it is on its way go
 * together, in one unordered insertMany, as soon as it is back. An idle
 * instance's insert waits for nothing, and under load the runs that end
 * together (each writes its flow context) share one command: one message
 * for the driver to encode and FerretDB to handle, where there were as
 * many. The embedded store's group commit does the same for its file
 * appends.
 *
 * Each insert is answered as insertOne would answer it: an unordered
 * insertMany inserts every document it can, and its error names the index of
 * each document that failed (a unique clash among them), so one document's
 * clash is its own and not its neighbours'. An error that names none (the
 * connection lost) is every document's: each may or may not be stored, as
 * after a lone insert that failed so.
 */
export class InsertBatches<D> {
  private waiting: Waiting<D>[] = [];
  private writing = false;

  constructor(private readonly insertAll: InsertAll<D>) {}

  insert(doc: D): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ doc, resolve, reject });
      if (!this.writing) void this.writeWaiting();
    });
  }

  private async writeWaiting(): Promise<void> {
    this.writing = true;
    while (this.waiting.length > 0) {
      const batch = this.waiting;
      this.waiting = [];
      await this.write(batch);
    }
    this.writing = false;
  }

  private async write(batch: Waiting<D>[]): Promise<void> {
    try {
      await this.insertAll(batch.map(({ doc }) => doc));
      for (const one of batch) one.resolve();
    } catch (error) {
      const failed = failuresByIndex(error);
      batch.forEach((one, index) => {
        const own = failed === undefined ? error : failed.get(index);
        if (own === undefined) one.resolve();
        else one.reject(own);
      });
    }
  }
}

/**
 * The failure of each document an unordered insertMany could not insert, by
 * its index, as an error of its own (code and message kept, so a unique
 * clash reads as one); undefined when the error is not of single documents.
 */
function failuresByIndex(error: unknown): Map<number, unknown> | undefined {
  if (!(error instanceof MongoBulkWriteError) || error.writeConcernError) return undefined;
  const failures = new Map<number, unknown>();
  for (const { index, code, errmsg } of Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors]) {
    failures.set(index, new MongoServerError({ message: errmsg ?? `insert failed with code ${code}`, errmsg, code }));
  }
  return failures.size > 0 ? failures : undefined;
}
