/** NeDB's document model, which its datastore matches and updates documents with; it ships no types of its own. */
declare module '@seald-io/nedb/lib/model.js' {
  const model: {
    /** Whether `doc` matches `query`, a query in NeDB's dialect. */
    match(doc: unknown, query: Record<string, unknown>): boolean;
    /** A new document: `doc` with `update` (modifiers) applied; `doc` is left as it was. */
    modify<T>(doc: T, update: Record<string, unknown>): T;
  };
  export default model;
}
