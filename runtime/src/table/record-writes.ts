import type { FieldDefault, JournalEntry } from '@lockstep/schema';
import type { Principal } from '../auth/principal.js';
import type { ResolvedTable } from '../dictionary/dictionary.js';
import type { Update } from '@lockstep/store';
import { OUTBOX, OUTBOX_PENDING, type OutboxIntent } from './record-capture.js';
import type { RecordWrite } from './record-input.js';
import type { StoredRecord } from './record-store.js';

/**
 * What a write does to a record, worked out before it is stored: the update
 * operators, and the record they leave, which capture compares with the one
 * before.
 */

/** The entry each journal field written gets. */
export function journalEntries(write: RecordWrite, actor: Principal, now: string): Record<string, JournalEntry> {
  return Object.fromEntries(
    Object.entries(write.journal).map(([field, value]) => [field, { value, created_by: actor.userName, created_on: now }]),
  );
}

function defaultValue(fieldDefault: FieldDefault, actor: Principal, now: string): unknown {
  if (typeof fieldDefault !== 'object') return fieldDefault;
  return fieldDefault.dynamic === 'now' ? now : actor.sysId;
}

/** A new record's values: the table's defaults, then what was written (null clears a default). */
export function initialValues(table: ResolvedTable, write: RecordWrite, actor: Principal, now: string): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const field of table.fields.values()) {
    if (field.default !== undefined) values[field.name] = defaultValue(field.default, actor, now);
  }
  for (const [name, value] of Object.entries(write.values)) {
    if (value === null) delete values[name];
    else values[name] = value;
  }
  return values;
}

/** The update operators of a write: values, new journal entries and system fields, in one single-document update. */
export function updateOf(write: RecordWrite, entries: Record<string, JournalEntry>, actor: Principal, now: string): Update {
  const set: Record<string, unknown> = { sys_updated_on: now, sys_updated_by: actor.userName };
  const unset: Record<string, true> = {};
  for (const [name, value] of Object.entries(write.values)) {
    if (value === null) unset[name] = true;
    else set[name] = value;
  }
  const update: Update = { $set: set, $inc: { sys_mod_count: 1 } };
  if (Object.keys(unset).length > 0) update.$unset = unset;
  if (Object.keys(entries).length > 0) update.$push = { ...entries };
  return update;
}

/** The record as `updateOf` leaves it, given the record it applies to. */
export function updatedRecord(before: StoredRecord, write: RecordWrite, entries: Record<string, JournalEntry>, actor: Principal, now: string): StoredRecord {
  const after: StoredRecord = { ...before, sys_updated_on: now, sys_updated_by: actor.userName, sys_mod_count: before.sys_mod_count + 1 };
  for (const [name, value] of Object.entries(write.values)) {
    if (value === null) delete after[name];
    else after[name] = value;
  }
  for (const [name, entry] of Object.entries(entries)) {
    after[name] = [...((before[name] as JournalEntry[] | undefined) ?? []), entry];
  }
  return after;
}

/** The same update, also appending the intents to the record's outbox. */
export function withIntents(update: Update, intents: OutboxIntent[]): Update {
  if (intents.length === 0) return update;
  return {
    ...update,
    $set: { ...update.$set, [OUTBOX_PENDING]: true },
    $push: { ...update.$push, [OUTBOX]: { $each: intents.map((intent) => JSON.stringify(intent)) } },
  };
}

/** A new record's document with its intents already in the outbox. */
export function withOutbox(record: StoredRecord, intents: OutboxIntent[]): StoredRecord {
  if (intents.length === 0) return record;
  return { ...record, [OUTBOX]: intents.map((intent) => JSON.stringify(intent)), [OUTBOX_PENDING]: true };
}
