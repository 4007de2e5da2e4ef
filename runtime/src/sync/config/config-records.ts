import { newId, type Collection, type Filter, type NewDocument, type Sort } from '@lockstep/store';
import { nowDateTime } from '../../time.js';
import type { StoredConfigRecord } from './stored-records.js';

export interface Page {
  limit: number;
  offset: number;
}

/**
 * One kind of configuration record: create, read, update and delete, with
 * the audit fields kept. `onWrite` runs after every write, failed ones too
 * (a write whose reply was lost may still have applied), for caches of the
 * records.
 */
export class ConfigRecords<Fields extends { sys_domain: string }, T extends StoredConfigRecord & Fields> {
  constructor(
    private readonly collection: Collection<T>,
    /** How lists are ordered; ends with `_id` so that paging is stable. */
    private readonly sort: Sort,
    private readonly onWrite: () => void = () => undefined,
  ) {}

  get(id: string): Promise<T | null> {
    return this.collection.findOne({ _id: id });
  }

  find(filter: Filter, page?: Page): Promise<T[]> {
    return this.collection.find(filter, { sort: this.sort, ...(page && { limit: page.limit, skip: page.offset }) });
  }

  count(filter: Filter): Promise<number> {
    return this.collection.countDocuments(filter);
  }

  async insert(fields: Fields, actor: string): Promise<T> {
    const now = nowDateTime();
    // The fields and the audit make a T, which the compiler cannot see through the generics.
    const doc = { _id: newId(), ...fields, sys_created_on: now, sys_created_by: actor, sys_updated_on: now, sys_updated_by: actor } as unknown as NewDocument<T>;
    try {
      return await this.collection.insertOne(doc);
    } finally {
      this.onWrite();
    }
  }

  /** Sets the fields given; null when there is no such record. */
  async update(id: string, fields: Partial<Fields>, actor: string): Promise<T | null> {
    try {
      return await this.collection.findOneAndUpdate({ _id: id }, { $set: { ...fields, sys_updated_on: nowDateTime(), sys_updated_by: actor } });
    } finally {
      this.onWrite();
    }
  }

  /** False when there was no such record. */
  async delete(id: string): Promise<boolean> {
    try {
      return (await this.collection.deleteOne({ _id: id })) === 1;
    } finally {
      this.onWrite();
    }
  }
}
