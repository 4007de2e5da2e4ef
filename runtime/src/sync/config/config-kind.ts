import type { z } from 'zod';
import type { ProblemFinding } from '../../http/problem.js';
import type { ConfigRecords } from './config-records.js';
import type { RecordView } from './record-views.js';
import type { RelatedLists } from './related-records.js';
import type { StoredConfigRecord } from './stored-records.js';

/**
 * What the config API needs to know about one kind of record to serve it:
 * its schemas, its references, what depends on it and how it is shown.
 */
export interface ConfigKind<Fields extends { sys_domain: string }, T extends StoredConfigRecord & Fields, Patch extends object> {
  /** The path under `/api/lockstep/v1/sync`, e.g. `process-events`. */
  path: string;
  /** In problems: `process event`. */
  label: string;
  records: ConfigRecords<Fields, T>;
  createSchema: z.ZodType<Fields>;
  updateSchema: z.ZodType<Patch>;
  /** Whether the record belongs to a process sync definition, which lists may then be filtered by. */
  inDefinition: boolean;
  /** Refuses what a body may not set at all, with its own problem, before the body is parsed. */
  guard?: (body: unknown) => void;
  /** The fields a PATCH sets on `current`. */
  merge: (current: T, patch: Patch) => Partial<Fields>;
  /** Findings about what `record` points at; `changed` names the fields written, as only those are checked again. */
  check: (record: Fields, changed: ReadonlySet<string>) => Promise<ProblemFinding[]>;
  /** The records that point at this one and keep it from being deleted. */
  dependents: (record: T) => Promise<Partial<RelatedLists>>;
  view: (record: T) => RecordView;
  /** What a PATCH's write sets off, given the record before and after it; the record anew when that changed it. */
  updated?: (before: T, after: T, actor: string) => Promise<T | null>;
  /** Why a write broke the kind's unique index: which value is taken, and what to do instead. */
  duplicate?: (record: Fields) => string | Promise<string>;
  /**
   * Another record (not `id`) that already holds what `record` would take:
   * checked before the write, for stores that hold duplicates from before
   * the unique index, which then could not be made.
   */
  taken?: (record: Fields, id: string | null) => Promise<boolean>;
}

/** Types a kind's functions by its record's fields. */
export function defineKind<Fields extends { sys_domain: string }, T extends StoredConfigRecord & Fields, Patch extends object>(
  kind: ConfigKind<Fields, T, Patch>,
): ConfigKind<Fields, T, Patch> {
  return kind;
}

/** The fields a body named: what a write checks again. */
export function changedFields(body: object): ReadonlySet<string> {
  return new Set(Object.keys(body));
}

/** Whether any of `fields` was written. */
export function touches(changed: ReadonlySet<string>, ...fields: string[]): boolean {
  return fields.some((field) => changed.has(field));
}
