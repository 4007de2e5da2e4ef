/**
 * Whether a scan of a queue could find what offers did not bring to its
 * worker (KeyedWork.offersAll): not while this process writes the store
 * alone, announcing every item it makes ready, and nothing that decides
 * which items may go (a remote system activated, a flow added) was written
 * since the last scan began.
 */
export class QueueScans {
  /** The deciding writes when the last scan that ended began; none before the first has ended. */
  private seen: number | undefined;

  constructor(
    private readonly queue: { announcesAll(): boolean },
    private readonly config: { decidingWrites(): number },
  ) {}

  /** Makes a scan: what it reads is as of when it began. */
  async scan<T>(read: () => Promise<T>): Promise<T> {
    const deciding = this.config.decidingWrites();
    const found = await read();
    this.seen = deciding;
    return found;
  }

  findNothingNew(): boolean {
    return this.queue.announcesAll() && this.config.decidingWrites() === this.seen;
  }
}
