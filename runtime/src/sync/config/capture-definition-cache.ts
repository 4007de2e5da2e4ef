import type { StoredCaptureDefinition } from './stored-records.js';

/** Lower orders are evaluated first; `_id` breaks ties so every process evaluates them alike. */
export function captureOrder(a: StoredCaptureDefinition, b: StoredCaptureDefinition): number {
  return a.order - b.order || (a._id < b._id ? -1 : a._id > b._id ? 1 : 0);
}

interface Loaded {
  at: number;
  byTable: Promise<Map<string, StoredCaptureDefinition[]>>;
}

/**
 * The active capture definitions, by source table, held in memory because
 * capture asks for them on every record write. A write in this process drops
 * them at once; writes by other runtime processes on the same database are
 * seen once they are `maxAgeMs` old.
 */
export class CaptureDefinitionCache {
  private loaded: Loaded | undefined;

  constructor(
    private readonly loadActive: () => Promise<StoredCaptureDefinition[]>,
    private readonly maxAgeMs: number,
  ) {}

  async for(tables: readonly string[]): Promise<StoredCaptureDefinition[]> {
    const byTable = await this.current();
    return [...new Set(tables)].flatMap((table) => byTable.get(table) ?? []).sort(captureOrder);
  }

  invalidate(): void {
    this.loaded = undefined;
  }

  private current(): Promise<Map<string, StoredCaptureDefinition[]>> {
    if (this.loaded && Date.now() - this.loaded.at < this.maxAgeMs) return this.loaded.byTable;
    // Cached from the start of the load, so that callers meanwhile share it,
    // and so that a write during the load, which invalidates, discards it.
    const loaded: Loaded = { at: Date.now(), byTable: this.loadActive().then(groupByTable) };
    this.loaded = loaded;
    loaded.byTable.catch(() => {
      if (this.loaded === loaded) this.loaded = undefined;
    });
    return loaded.byTable;
  }
}

function groupByTable(definitions: StoredCaptureDefinition[]): Map<string, StoredCaptureDefinition[]> {
  const byTable = new Map<string, StoredCaptureDefinition[]>();
  for (const definition of definitions) byTable.set(definition.source_table, [...(byTable.get(definition.source_table) ?? []), definition]);
  return byTable;
}
