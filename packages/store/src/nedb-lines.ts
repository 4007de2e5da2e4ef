import { createRequire } from 'node:module';

// NeDB's own line format (dates as {$$date}); the package exports no types for it.
const { serialize, deserialize } = createRequire(import.meta.url)('@seald-io/nedb/lib/model.js') as {
  serialize(doc: unknown): string;
  deserialize(line: string): Record<string, unknown>;
};

function holdsDate(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (value instanceof Date) return true;
  if (Array.isArray(value)) return value.some(holdsDate);
  for (const key in value) if (holdsDate((value as Record<string, unknown>)[key])) return true;
  return false;
}

/**
 * A document as a line of its collection's file. Most hold no date, and
 * then the line NeDB writes is plain JSON: JSON.stringify without NeDB's
 * replacer, which calls back into JavaScript for every key, writes a flow
 * context in less than half the time. Only a document with a date takes
 * NeDB's own serialize. (NeDB checked its keys when it took the write.)
 */
export const lineOf = (doc: unknown): string => (holdsDate(doc) ? serialize(doc) : JSON.stringify(doc));

/** A line of a collection's file as a document: plain JSON unless it holds a date, which needs NeDB's reviver. */
export const documentOf = (line: string): Record<string, unknown> => (line.includes('"$$date"') ? deserialize(line) : (JSON.parse(line) as Record<string, unknown>));
