/**
 * How many writes this process has made to each collection. Copies of
 * documents held in memory (ReadCache) stay good while the count of their
 * collection stands, whatever code made the write.
 */
export class WriteCounts {
  private readonly counts = new Map<string, number>();

  of(collection: string): number {
    return this.counts.get(collection) ?? 0;
  }

  /** Called once a write has been applied, or failed: a failed write may have changed something. */
  add(collection: string): void {
    this.counts.set(collection, this.of(collection) + 1);
  }
}
