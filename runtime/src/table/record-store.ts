import { setTimeout as sleep } from 'node:timers/promises';
import type { Principal } from '../auth/principal.js';
import type { ResolvedTable, TableDictionary } from '../dictionary/dictionary.js';
import { everyDomain, scopeOf, type DomainScope } from '../domains/domain-scope.js';
import { newId, WriteConflictError, type Collection, type DocumentStore, type Filter, type Sort, type StoredDocument, type Update } from '@lockstep/store';
import { nowDateTime } from '../time.js';
import type { RecordNumbers } from './numbering.js';
import { DELETED, OUTBOX_PENDING, type RecordCapture } from './record-capture.js';
import type { RecordWrite } from './record-input.js';
import { initialValues, journalEntries, updatedRecord, updateOf, withIntents, withOutbox } from './record-writes.js';

export interface StoredRecord extends StoredDocument {
  sys_id: string;
  sys_class_name: string;
  sys_created_on: string;
  sys_created_by: string;
  sys_updated_on: string;
  sys_updated_by: string;
  sys_mod_count: number;
  sys_domain: string;
}

/**
 * Makes an update happen once per flow step: the record remembers, per run
 * (`scope`), the last step key applied, so a resumed step finds its own mark.
 */
export interface ApplyOnce {
  scope: string;
  key: string;
}

export interface WriteOptions {
  /**
   * The remote system whose change this write applies (an inbound flow's
   * write), or null for a local change. Capture keeps it, so the change is
   * not sent back there. @default null
   */
  origin?: string | null;
}

export interface CreateOptions extends WriteOptions {
  /** Lets a flow step choose the id, so repeating the step hits the same record instead of making another. @default a new id */
  sysId?: string;
}

export interface UpdateOptions extends WriteOptions {
  once?: ApplyOnce;
}

/** Per run, the last flow step that wrote the record; internal, never part of the API view. */
const FLOW_STEP_MARKS = '__flow_steps';

/**
 * How often a captured write re-reads and tries again when another write
 * changed the record between its read and its compare-and-set. Each round
 * one of the competing writers wins, so this bounds the concurrent writers
 * to one record that are sure to get through.
 */
const MAX_WRITE_ATTEMPTS = 100;

export interface RecordQuery {
  filter: Filter;
  sort: Sort;
  limit: number;
  offset: number;
}

function appliedBefore(record: StoredRecord, once: ApplyOnce | undefined): boolean {
  const marks = record[FLOW_STEP_MARKS] as Record<string, string> | undefined;
  return once !== undefined && marks?.[once.scope] === once.key;
}

/** Spreads the retries of writers that lost a compare-and-set, so they do not collide again in lockstep. */
function backOff(attempt: number): Promise<void> {
  return sleep(Math.random() * Math.min(attempt, 20));
}

function writeConflict(table: ResolvedTable, sysId: string): WriteConflictError {
  return new WriteConflictError(`the ${table.name} record ${sysId}`, MAX_WRITE_ATTEMPTS);
}

/**
 * Keeps Table API records: one collection per table hierarchy, system fields
 * maintained here. When capture definitions apply, each write also appends
 * their intents to the record's outbox in the same single-document write
 * (the embedded outbox), so a change and its capture are stored or lost
 * together without a transaction.
 */
export class RecordStore {
  /** Told of each record created under an id made here, once stored: nothing can refer to it yet. */
  private readonly createdListeners: ((table: ResolvedTable, sysId: string) => void)[] = [];

  constructor(
    private readonly store: DocumentStore,
    private readonly dictionary: TableDictionary,
    private readonly numbers: RecordNumbers,
    private readonly capture?: RecordCapture,
  ) {}

  /**
   * `listener` hears of each record created under an id made here, as soon
   * as it is stored and before anything else can use its id: what hangs off
   * a record (its attachments, its correlations) is known to be none yet.
   * It runs in the create's path, so it must be quick and never throw.
   */
  onCreated(listener: (table: ResolvedTable, sysId: string) => void): void {
    this.createdListeners.push(listener);
  }

  private records(table: ResolvedTable): Collection<StoredRecord> {
    return this.store.collection<StoredRecord>(table.storage);
  }

  /** Only live records of this table or a table that extends it: deleted ones waiting for the relay are not there. */
  private ofClass(table: ResolvedTable, filter: Filter = {}): Filter {
    const classFilter: Filter = { sys_class_name: table.classes.length === 1 ? table.name : { $in: table.classes }, [DELETED]: { $ne: true } };
    return Object.keys(filter).length === 0 ? classFilter : { $and: [classFilter, filter] };
  }

  /** A record read through a parent table (task) is captured as what it is (incident). */
  private tableOf(record: StoredRecord, through: ResolvedTable): ResolvedTable {
    return this.dictionary.get(record.sys_class_name) ?? through;
  }

  async prepare(): Promise<void> {
    await this.numbers.prepare();
    const roots = new Map(this.dictionary.list().map((table) => [table.storage, table]));
    for (const table of roots.values()) {
      const records = this.records(table);
      await records.createIndex({ fields: ['sys_class_name'] });
      await records.createIndex({ fields: ['sys_updated_on'] });
      await records.createIndex({ fields: [OUTBOX_PENDING], sparse: true });
      if (table.numberPrefix !== undefined && table.fields.has('number')) {
        await records.createIndex({ fields: ['number'], unique: true });
      }
    }
  }

  async create(table: ResolvedTable, write: RecordWrite, actor: Principal, { sysId: given, origin = null }: CreateOptions = {}): Promise<StoredRecord> {
    const sysId = given ?? newId();
    const matcher = await this.capture?.matcherFor(table);
    const now = nowDateTime();
    const values = initialValues(table, write, actor, now);
    if (table.numberPrefix !== undefined && table.fields.has('number')) {
      values.number = await this.numbers.next(table.numberPrefix);
    }
    const entries = journalEntries(write, actor, now);
    const record: StoredRecord = {
      ...values,
      ...Object.fromEntries(Object.entries(entries).map(([field, entry]) => [field, [entry]])),
      _id: sysId,
      sys_id: sysId,
      sys_class_name: table.name,
      sys_created_on: now,
      sys_created_by: actor.userName,
      sys_updated_on: now,
      sys_updated_by: actor.userName,
      sys_mod_count: 0,
      sys_domain: actor.domain,
    };
    const intents = matcher?.({ table, operation: 'insert', current: record, previous: undefined, journal: entries, actor, at: now, origin }) ?? [];
    const stored = await this.records(table).insertOne(withOutbox(record, intents));
    if (given === undefined) for (const listener of this.createdListeners) listener(table, sysId);
    if (intents.length > 0) this.capture?.captured();
    return stored;
  }

  /** The record, when `scope` sees it. */
  async get(table: ResolvedTable, sysId: string, scope: DomainScope = everyDomain): Promise<StoredRecord | null> {
    const record = await this.records(table).findOne(this.ofClass(table, { _id: sysId }));
    return record && scope.sees(record.sys_domain) ? record : null;
  }

  /** The records of the query that `scope` sees. */
  async list(table: ResolvedTable, query: RecordQuery, scope: DomainScope): Promise<{ records: StoredRecord[]; total: number }> {
    const filter = this.ofClass(table, scope.visible(query.filter));
    const records = this.records(table);
    const [page, total] = await Promise.all([
      records.find(filter, { sort: { ...query.sort, _id: 1 }, limit: query.limit, skip: query.offset }),
      records.countDocuments(filter),
    ]);
    return { records: page, total };
  }

  /**
   * One atomic single-document write: values, journal entries, system fields
   * and capture intents together. Null when there is no such record that the
   * actor's domain sees, or when `once` finds this step's update already applied.
   */
  async update(table: ResolvedTable, sysId: string, write: RecordWrite, actor: Principal, { once, origin = null }: UpdateOptions = {}): Promise<StoredRecord | null> {
    const matcher = await this.capture?.matcherFor(table);
    if (!matcher) return this.updateUncaptured(table, sysId, write, actor, once);
    // Capture compares the record before and after, so the write is a read, then a compare-and-set on sys_mod_count.
    for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
      const before = await this.get(table, sysId, scopeOf(actor));
      if (!before || appliedBefore(before, once)) return null;
      const now = nowDateTime();
      const entries = journalEntries(write, actor, now);
      const current = updatedRecord(before, write, entries, actor, now);
      const intents = matcher({ table: this.tableOf(before, table), operation: 'update', current, previous: before, journal: entries, actor, at: now, origin });
      const update = withIntents(this.marked(updateOf(write, entries, actor, now), once), intents);
      const written = await this.records(table).findOneAndUpdate(this.ofClass(table, { _id: sysId, sys_mod_count: before.sys_mod_count }), update, { returnDocument: 'after' });
      if (written) {
        if (intents.length > 0) this.capture?.captured();
        return written;
      }
      await backOff(attempt);
    }
    throw writeConflict(table, sysId);
  }

  /** With nothing to capture, one blind atomic update: no read, no conflicts. */
  private updateUncaptured(table: ResolvedTable, sysId: string, write: RecordWrite, actor: Principal, once: ApplyOnce | undefined): Promise<StoredRecord | null> {
    const filter: Filter = { _id: sysId };
    if (once) filter[`${FLOW_STEP_MARKS}.${once.scope}`] = { $ne: once.key };
    const now = nowDateTime();
    const update = this.marked(updateOf(write, journalEntries(write, actor, now), actor, now), once);
    return this.records(table).findOneAndUpdate(this.ofClass(table, scopeOf(actor).visible(filter)), update, { returnDocument: 'after' });
  }

  private marked(update: Update, once: ApplyOnce | undefined): Update {
    return once ? { ...update, $set: { ...update.$set, [`${FLOW_STEP_MARKS}.${once.scope}`]: once.key } } : update;
  }

  /**
   * False when there is no such record that the actor's domain sees. A delete that something captures
   * leaves a tombstone holding the intents, which the relay removes once it
   * has moved them; any other delete removes the record at once.
   */
  async delete(table: ResolvedTable, sysId: string, actor: Principal, { origin = null }: WriteOptions = {}): Promise<boolean> {
    const matcher = await this.capture?.matcherFor(table);
    const scope = scopeOf(actor);
    if (!matcher) return (await this.records(table).deleteOne(this.ofClass(table, scope.visible({ _id: sysId })))) === 1;
    for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
      const before = await this.get(table, sysId, scope);
      if (!before) return false;
      const now = nowDateTime();
      const current: StoredRecord = { ...before, sys_updated_on: now, sys_updated_by: actor.userName, sys_mod_count: before.sys_mod_count + 1 };
      const intents = matcher({ table: this.tableOf(before, table), operation: 'delete', current, previous: before, journal: {}, actor, at: now, origin });
      const unchanged = this.ofClass(table, { _id: sysId, sys_mod_count: before.sys_mod_count });
      if (intents.length === 0) {
        if ((await this.records(table).deleteOne(unchanged)) === 1) return true;
      } else {
        const tombstone: Update = { $set: { [DELETED]: true, sys_updated_on: now, sys_updated_by: actor.userName }, $inc: { sys_mod_count: 1 } };
        if (await this.records(table).findOneAndUpdate(unchanged, withIntents(tombstone, intents))) {
          this.capture?.captured();
          return true;
        }
      }
      await backOff(attempt);
    }
    throw writeConflict(table, sysId);
  }
}
