import { isPlainObject } from './condition.js';
import type { StoredDocument, Update } from './port.js';

/**
 * MongoDB ignores a `$pull` from a field the document lacks; NeDB throws. So
 * the embedded store leaves such `$pull`s out, document by document. Returns
 * `undefined` when nothing is left to apply.
 */
export function withoutPullsFromMissingFields(update: Update, doc: Record<string, unknown>): Update | undefined {
  if (update.$pull === undefined) return update;
  const { $pull: pull, ...others } = update;
  const present = Object.entries(pull).filter(([path]) => valueAt(doc, path) !== undefined);
  const applicable: Update = present.length > 0 ? { ...others, $pull: Object.fromEntries(present) } : others;
  return Object.keys(applicable).length > 0 ? applicable : undefined;
}

function valueAt(doc: Record<string, unknown>, path: string): unknown {
  let value: unknown = doc;
  for (const key of path.split('.')) {
    if (!isPlainObject(value)) return undefined;
    value = value[key];
  }
  return value;
}

/** What a read-then-write saw and did, from which each port method takes its answer. */
export interface Change<T extends StoredDocument> {
  /** The matched documents as they were… */
  before: T[];
  /** …and as they are now, in the same order. */
  after: T[];
  /** The document an upsert inserted, when nothing matched. */
  upserted: T | null;
}
