import type { CaptureOperation, CapturedObject, JournalEntry } from '@lockstep/schema';
import type { Principal } from '../auth/principal.js';
import type { ResolvedTable } from '../dictionary/dictionary.js';
import type { StoredRecord } from './record-store.js';

/*
 * Internal fields of a stored record. The Table API view reads dictionary
 * fields only (record-view.ts), so none of them ever leaves the runtime.
 */

/**
 * The record's outbox (the embedded outbox): capture intents written in the
 * same single-document write as the change they capture. Each entry is an
 * intent as JSON text, so the relay can remove exactly the one it moved with
 * a plain-value `$pull` (the port's `$pull` takes no conditions).
 */
export const OUTBOX = '__outbox';
/** Set with every intent, unset once the outbox is empty: what the relay looks for. */
export const OUTBOX_PENDING = '__outbox_pending';
/** A deleted record whose intents are still to be relayed; reads, updates and deletes ignore it. */
export const DELETED = '__deleted';

/** A change about to be written, as capture sees it. */
export interface RecordChange {
  /** The record's own table (its `sys_class_name`), whatever table the write came through. */
  table: ResolvedTable;
  operation: CaptureOperation;
  /** The record after the write; for a delete, the record as it was deleted. */
  current: StoredRecord;
  /** The record before the write; undefined for an insert. */
  previous: StoredRecord | undefined;
  /** The entry this write adds to each journal field it writes. */
  journal: Record<string, JournalEntry>;
  actor: Principal;
  /** When the write happens, as the record's date-times are written. */
  at: string;
  /** The remote system this write applies a change from, or null for a local change. */
  origin: string | null;
}

/** What one capture definition leaves in the outbox for one change. */
export interface OutboxIntent {
  id: string;
  capture_definition: string;
  process_event: string;
  /** Where the change came from: the relay never queues it back to that remote system. */
  origin: string | null;
  /** When the change was written, in epoch ms: the captured object's changed_on has whole seconds only. */
  captured_at: number;
  captured: CapturedObject;
}

/** The intents a change leaves; computed again for every attempt of a compare-and-set. */
export type CaptureMatcher = (change: RecordChange) => OutboxIntent[];

/** Capture, as the record store calls it during a write. */
export interface RecordCapture {
  /**
   * The matcher for changes written through `table`, or undefined when no
   * active capture definition can apply to its records: the write then stays
   * one blind atomic update, with no read before it.
   */
  matcherFor(table: ResolvedTable): Promise<CaptureMatcher | undefined>;
  /** A write left intents in an outbox; the relay should move them soon. */
  captured(): void;
}
