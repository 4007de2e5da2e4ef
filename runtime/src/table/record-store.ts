import type { FieldDefault, JournalEntry } from '@lockstep/schema';
import type { Principal } from '../auth/principal.js';
import type { ResolvedTable, TableDictionary } from '../dictionary/dictionary.js';
import { newId } from '../store/ids.js';
import type { Collection, DocumentStore, Filter, Sort, StoredDocument, Update } from '../store/port.js';
import { nowDateTime } from '../time.js';
import type { RecordNumbers } from './numbering.js';
import type { RecordWrite } from './record-input.js';

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

/** Per run, the last flow step that wrote the record; internal, never part of the API view. */
const FLOW_STEP_MARKS = '__flow_steps';

export interface RecordQuery {
  filter: Filter;
  sort: Sort;
  limit: number;
  offset: number;
}

function journalEntries(write: RecordWrite, actor: Principal, now: string): Record<string, JournalEntry> {
  return Object.fromEntries(
    Object.entries(write.journal).map(([field, value]) => [field, { value, created_by: actor.userName, created_on: now }]),
  );
}

function defaultValue(fieldDefault: FieldDefault, actor: Principal, now: string): unknown {
  if (typeof fieldDefault !== 'object') return fieldDefault;
  return fieldDefault.dynamic === 'now' ? now : actor.sysId;
}

/** Keeps Table API records: one collection per table hierarchy, system fields maintained here. */
export class RecordStore {
  constructor(
    private readonly store: DocumentStore,
    private readonly dictionary: TableDictionary,
    private readonly numbers: RecordNumbers,
  ) {}

  private records(table: ResolvedTable): Collection<StoredRecord> {
    return this.store.collection<StoredRecord>(table.storage);
  }

  /** Only records of this table or a table that extends it. */
  private ofClass(table: ResolvedTable, filter: Filter = {}): Filter {
    const classFilter: Filter = { sys_class_name: table.classes.length === 1 ? table.name : { $in: table.classes } };
    return Object.keys(filter).length === 0 ? classFilter : { $and: [classFilter, filter] };
  }

  async prepare(): Promise<void> {
    const roots = new Map(this.dictionary.list().map((table) => [table.storage, table]));
    for (const table of roots.values()) {
      const records = this.records(table);
      await records.createIndex({ fields: ['sys_class_name'] });
      await records.createIndex({ fields: ['sys_updated_on'] });
      if (table.numberPrefix !== undefined && table.fields.has('number')) {
        await records.createIndex({ fields: ['number'], unique: true });
      }
    }
  }

  /** `sysId` lets a flow step choose the id, so repeating the step hits the same record instead of making another. */
  async create(table: ResolvedTable, write: RecordWrite, actor: Principal, sysId: string = newId()): Promise<StoredRecord> {
    const now = nowDateTime();
    const values: Record<string, unknown> = {};
    for (const field of table.fields.values()) {
      if (field.default !== undefined) values[field.name] = defaultValue(field.default, actor, now);
    }
    for (const [name, value] of Object.entries(write.values)) {
      if (value === null) delete values[name];
      else values[name] = value;
    }
    if (table.numberPrefix !== undefined && table.fields.has('number')) {
      values.number = await this.numbers.next(table.numberPrefix);
    }
    const journals = Object.fromEntries(Object.entries(journalEntries(write, actor, now)).map(([field, entry]) => [field, [entry]]));
    return this.records(table).insertOne({
      ...values,
      ...journals,
      _id: sysId,
      sys_id: sysId,
      sys_class_name: table.name,
      sys_created_on: now,
      sys_created_by: actor.userName,
      sys_updated_on: now,
      sys_updated_by: actor.userName,
      sys_mod_count: 0,
      sys_domain: actor.domain,
    });
  }

  get(table: ResolvedTable, sysId: string): Promise<StoredRecord | null> {
    return this.records(table).findOne(this.ofClass(table, { _id: sysId }));
  }

  async list(table: ResolvedTable, query: RecordQuery): Promise<{ records: StoredRecord[]; total: number }> {
    const filter = this.ofClass(table, query.filter);
    const records = this.records(table);
    const [page, total] = await Promise.all([
      records.find(filter, { sort: { ...query.sort, _id: 1 }, limit: query.limit, skip: query.offset }),
      records.countDocuments(filter),
    ]);
    return { records: page, total };
  }

  /** One atomic single-document write: values, journal entries and system fields together. */
  update(table: ResolvedTable, sysId: string, write: RecordWrite, actor: Principal, once?: ApplyOnce): Promise<StoredRecord | null> {
    const now = nowDateTime();
    const set: Record<string, unknown> = { sys_updated_on: now, sys_updated_by: actor.userName };
    const unset: Record<string, true> = {};
    for (const [name, value] of Object.entries(write.values)) {
      if (value === null) unset[name] = true;
      else set[name] = value;
    }
    const filter: Filter = { _id: sysId };
    if (once) {
      const mark = `${FLOW_STEP_MARKS}.${once.scope}`;
      filter[mark] = { $ne: once.key };
      set[mark] = once.key;
    }
    const update: Update = { $set: set, $inc: { sys_mod_count: 1 } };
    if (Object.keys(unset).length > 0) update.$unset = unset;
    const entries = journalEntries(write, actor, now);
    if (Object.keys(entries).length > 0) update.$push = entries;
    return this.records(table).findOneAndUpdate(this.ofClass(table, filter), update, { returnDocument: 'after' });
  }

  async delete(table: ResolvedTable, sysId: string): Promise<boolean> {
    return (await this.records(table).deleteOne(this.ofClass(table, { _id: sysId }))) === 1;
  }
}
