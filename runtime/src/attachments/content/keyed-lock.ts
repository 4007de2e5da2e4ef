/**
 * Runs work one at a time per key, in arrival order, within this process;
 * different keys run freely. A key's entry goes once its queue is empty, so
 * any number of keys (content hashes) costs nothing once they are idle.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key) ?? Promise.resolve();
    const result = before.then(() => work());
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await result;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
