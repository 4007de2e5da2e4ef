import type { Principal } from '../auth/principal.js';
import type { ResolvedTable, TableDictionary } from '../dictionary/dictionary.js';
import { everyDomain } from '../domains/domain-scope.js';
import { derivedId, DuplicateKeyError } from '@lockstep/store';
import { readRecordWrite } from '../table/record-input.js';
import type { RecordStore, StoredRecord } from '../table/record-store.js';

/** Task states a remote task takes: open while it syncs, closed once either side closed or deleted its record. */
export const OPEN = '1';
export const CLOSED_COMPLETE = '3';
export const CLOSED_INCOMPLETE = '4';

/** The link between a local record and its counterpart on a remote system, for one definition. */
export interface RemoteTaskLink {
  parent: string;
  parentTable: string;
  definition: string;
  revision: number;
  remoteSystem: string;
}

/** What a record's `remote_tasks` holds for one open remote task, and what its capture definition's filter looks for. */
export function linkKey(definition: string, remoteSystem: string): string {
  return `${definition}:${remoteSystem}`;
}

/** Marking a record happens while others may change it: a mark another write overtook is made again, this many times at most. */
const MARK_ATTEMPTS = 20;

/** One remote task per record, definition and remote system: its sys_id says so, so a trigger and a click at once make one. */
export function remoteTaskId(parent: string, definition: string, remoteSystem: string): string {
  return derivedId('remote-task', parent, definition, remoteSystem);
}

/**
 * The `remote_task` records of this instance, as the Table API keeps them
 * (so they show in the records UI and the Table API like any task).
 */
export class RemoteTaskRecords {
  readonly table: ResolvedTable;

  constructor(
    private readonly records: RecordStore,
    dictionary: TableDictionary,
  ) {
    this.table = dictionary.get('remote_task')!;
  }

  get(sysId: string): Promise<StoredRecord | null> {
    return this.records.get(this.table, sysId);
  }

  of(parent: string, definition: string, remoteSystem: string): Promise<StoredRecord | null> {
    return this.get(remoteTaskId(parent, definition, remoteSystem));
  }

  async forParent(parent: string): Promise<StoredRecord[]> {
    const { records } = await this.records.list(this.table, { filter: { parent }, sort: { sys_created_on: 1 }, limit: 100, offset: 0 }, everyDomain);
    return records;
  }

  /** Makes the link, in the actor's domain; made already (a step redone), it returns that one. */
  async create(link: RemoteTaskLink, fields: Record<string, unknown>, actor: Principal): Promise<StoredRecord> {
    const sysId = remoteTaskId(link.parent, link.definition, link.remoteSystem);
    const values = {
      parent: link.parent,
      parent_table: link.parentTable,
      remote_task_definition: link.definition,
      definition_revision: link.revision,
      remote_system: link.remoteSystem,
      state: OPEN,
      ...fields,
    };
    try {
      return await this.records.create(this.table, readRecordWrite(values, this.table), actor, { sysId });
    } catch (error) {
      const existing = error instanceof DuplicateKeyError ? await this.get(sysId) : null;
      if (!existing) throw error;
      return existing;
    }
  }

  update(sysId: string, values: Record<string, unknown>, actor: Principal): Promise<StoredRecord | null> {
    return this.records.update(this.table, sysId, readRecordWrite(values, this.table), actor);
  }

  /**
   * Adds or removes an open remote task in its record's `remote_tasks`. The
   * write is captured like any other: as `origin`'s, it is not sent back
   * there; as a local one (null), it is what carries a new task out.
   */
  async mark(table: ResolvedTable, parent: string, key: string, open: boolean, actor: Principal, origin: string | null): Promise<void> {
    for (let attempt = 0; attempt < MARK_ATTEMPTS; attempt++) {
      const record = await this.records.get(table, parent);
      if (!record) return;
      const keys = String(record.remote_tasks ?? '').split(',').filter((one) => one !== '');
      if (keys.includes(key) === open) return;
      const next = open ? [...keys, key] : keys.filter((one) => one !== key);
      await this.records.update(table, parent, { values: { remote_tasks: next.join(',') }, journal: {} }, actor, { origin });
    }
    throw new Error(`the remote tasks of ${table.name} record ${parent} kept changing under ${MARK_ATTEMPTS} attempts to mark ${key}`);
  }

  /** Closed: it stops syncing, on this side; the record it links stays. */
  close(sysId: string, state: typeof CLOSED_COMPLETE | typeof CLOSED_INCOMPLETE, actor: Principal, note?: string): Promise<StoredRecord | null> {
    return this.update(sysId, { state, active: false, ...(note ? { work_notes: note } : {}) }, actor);
  }
}
