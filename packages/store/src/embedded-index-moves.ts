import type nedb from '@seald-io/nedb';

/** What this module uses of NeDB's index: its fields, its tree, and its own insert and remove. */
interface NedbIndex {
  _fields: string[];
  tree: { search(key: unknown): unknown[] };
  insert(doc: unknown): void;
  remove(doc: unknown): void;
}

interface Modification {
  oldDoc: Record<string, unknown>;
  newDoc: Record<string, unknown>;
}

/** A key whose equality `===` tells: a string, number, boolean or null (or a compound of them); not an array, a date or a missing field. */
type PlainKey = string | number | boolean | null | Record<string, string | number | boolean | null>;

const isPlainValue = (value: unknown): value is string | number | boolean | null => value === null || ['string', 'number', 'boolean'].includes(typeof value);

function plainKeyOf(index: NedbIndex, doc: Record<string, unknown>): PlainKey | undefined {
  const fields = index._fields;
  if (fields.length === 1) {
    const value = valueAt(doc, fields[0] as string);
    return isPlainValue(value) ? value : undefined;
  }
  const key: Record<string, string | number | boolean | null> = {};
  for (const field of fields) {
    const value = valueAt(doc, field);
    if (!isPlainValue(value)) return undefined;
    key[field] = value;
  }
  return key;
}

function valueAt(doc: Record<string, unknown>, path: string): unknown {
  let value: unknown = doc;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function sameKey(a: PlainKey, b: PlainKey): boolean {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return a === b;
  return Object.keys(a).every((field) => a[field] === b[field]);
}

/**
 * NeDB updates a document in each index by taking it out and putting the
 * new one in, whether its key changed or not. Taking one document out of a
 * key that many share (sys_class_name "incident", a queue's status "ready")
 * copies the whole list of that key, so on a large collection each update
 * cost time, and garbage, in proportion to it. Here a document whose key in
 * an index did not change takes its old version's place in that index's
 * list instead, and one whose key changed is cut out of the list in place.
 * NeDB runs one operation of a datastore at a time, and copies a key's list
 * before it hands it out, so no reader meets a list while it changes.
 * Each index is updated all or nothing as before, and an index that fails
 * undoes the indexes before it.
 */
export function moveOnlyChangedIndexKeys(datastore: nedb.default): void {
  const store = datastore as unknown as { indexes: Record<string, NedbIndex>; _updateIndexes(oldDoc: unknown, newDoc?: unknown): void };
  store._updateIndexes = (oldDoc, newDoc) => {
    const modifications = Array.isArray(oldDoc) ? (oldDoc as Modification[]) : [{ oldDoc, newDoc } as Modification];
    const done: NedbIndex[] = [];
    try {
      for (const index of Object.values(store.indexes)) {
        update(index, modifications);
        done.push(index);
      }
    } catch (error) {
      const undo = modifications.map(({ oldDoc: was, newDoc: is }) => ({ oldDoc: is, newDoc: was }));
      for (const index of done) update(index, undo);
      throw error;
    }
  };
}

/**
 * As NeDB's own update of an index (all the old versions out, then the new
 * ones in, and on a unique key's clash the old ones back), but a document
 * whose key did not change takes its old version's place, and one leaving
 * a key that others share is cut out of its list in place.
 */
function update(index: NedbIndex, modifications: Modification[]): void {
  const moved: Modification[] = [];
  for (const modification of modifications) {
    const key = plainKeyOf(index, modification.oldDoc);
    const newKey = plainKeyOf(index, modification.newDoc);
    const docs = key !== undefined && newKey !== undefined && sameKey(key, newKey) ? index.tree.search(key) : [];
    const at = docs.indexOf(modification.oldDoc);
    if (at >= 0) docs[at] = modification.newDoc;
    else moved.push(modification);
  }
  for (const { oldDoc } of moved) remove(index, oldDoc);
  moved.forEach(({ newDoc }, inserted) => {
    try {
      index.insert(newDoc);
    } catch (error) {
      for (const { newDoc: added } of moved.slice(0, inserted)) index.remove(added);
      for (const { oldDoc } of moved) index.insert(oldDoc);
      throw error;
    }
  });
}

/** Takes one document out of an index: out of its key's list in place when others share the key, else NeDB's way. */
function remove(index: NedbIndex, doc: Record<string, unknown>): void {
  const key = plainKeyOf(index, doc);
  const docs = key === undefined ? [] : index.tree.search(key);
  const at = docs.length > 1 ? docs.indexOf(doc) : -1;
  if (at >= 0) docs.splice(at, 1);
  else index.remove(doc);
}
