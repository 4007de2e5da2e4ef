import { isDeepStrictEqual } from 'node:util';
import type { CapturedObject } from '@lockstep/schema';
import type { RecordChange } from '../../table/record-capture.js';

/** What the capture definition decides about a change: which fields it sends, and on whose behalf. */
export interface CaptureSelection {
  /** The capture definition's sys_id. */
  definition: string;
  includeFields: readonly string[];
  /** The outbound flow adds the record's attachment metadata (include_attachments). */
  includeAttachments: boolean;
}

/** A field the record does not hold is sent as null, as the Table API shows it. */
function valueOf(record: Record<string, unknown> | undefined, name: string): unknown {
  return record?.[name] ?? null;
}

/**
 * The captured object a capture definition makes of a change: its included
 * fields' values after the change, which of them the change changed (on an
 * insert, every one that has a value), and for included journal fields only
 * the entries this change adds.
 */
export function capturedObject({ definition, includeFields, includeAttachments }: CaptureSelection, change: RecordChange): CapturedObject {
  const { table, current, previous } = change;
  const fields: Record<string, unknown> = {};
  const changed: string[] = [];
  const journal: CapturedObject['journal'] = {};
  for (const name of includeFields) {
    const field = table.fields.get(name);
    // A definition on a parent table may name a field that only some of its children have.
    if (!field) continue;
    if (field.type === 'journal') {
      const entry = change.journal[name];
      if (entry) {
        journal[name] = [entry];
        changed.push(name);
      }
      continue;
    }
    const value = valueOf(current, name);
    fields[name] = value;
    if (previous === undefined ? value !== null : !isDeepStrictEqual(value, valueOf(previous, name))) changed.push(name);
  }
  return {
    table: table.name,
    sys_id: current.sys_id,
    operation: change.operation,
    fields,
    changed,
    journal,
    // Attachments are not read during the write: the outbound flow lists them (Get attachment metadata) when the definition includes them.
    attachments: [],
    metadata: {
      changed_by: change.actor.userName,
      changed_on: change.at,
      domain: current.sys_domain,
      capture_definition: definition,
      mod_count: current.sys_mod_count,
      include_attachments: includeAttachments,
    },
  };
}
