import { implement, transformPayload } from '@lockstep/flow';

/** A dot path into the payload; a missing step gives undefined, which maps to nothing. */
function read(payload: unknown, path: string): unknown {
  let current = payload;
  for (const name of path.split('.')) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, name)) return undefined;
    current = (current as Record<string, unknown>)[name];
  }
  return current;
}

/**
 * Journal deltas arrive as entries; a local write takes text, so they become
 * one text naming each entry's author and time, keeping who said what.
 */
export function journalText(entries: unknown): string | undefined {
  if (!Array.isArray(entries) || entries.length === 0) return undefined;
  return entries
    .map((entry) => {
      const { value, created_by, created_on } = entry as { value?: unknown; created_by?: unknown; created_on?: unknown };
      return `${String(value ?? '')}\n(${String(created_by ?? 'unknown')}, ${String(created_on ?? '')})`;
    })
    .join('\n\n');
}

/**
 * Maps a received payload to local field values. Only sources present in the
 * payload are mapped, so an update that did not send a field leaves it alone;
 * a value map translates choice values (a remote state to a local one).
 */
export const transformPayloadImplementation = implement(transformPayload, async (params) => {
  const values: Record<string, unknown> = {};
  for (const mapping of params.mappings) {
    const raw = read(params.payload, mapping.source);
    const value = mapping.source.startsWith('journal.') ? journalText(raw) : raw;
    if (value === undefined) continue;
    values[mapping.target] = mapping.valueMap && typeof value !== 'object' && value !== null ? (mapping.valueMap[String(value)] ?? value) : value;
  }
  return { kind: 'done', output: { values } };
});
