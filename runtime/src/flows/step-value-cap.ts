/**
 * How much of one step's input or output a flow context keeps for people to
 * read. A step's output is also the run's state while the run may go on (a
 * later step reads it, a waiting run is rebuilt from it), so it is capped
 * only once the run has ended; its input is only ever read by people.
 */
export const STEP_VALUE_MAX_BYTES = 4_096;

/** What is kept of a value past the cap: that it was cut, its size, and its beginning. */
const PREVIEW_CHARACTERS = 512;

/** `json`, or past `maxBytes` a note of its size with its first characters. */
export function cappedJson(json: string, maxBytes = STEP_VALUE_MAX_BYTES): string {
  // A string of n UTF-16 units is at most 3n bytes of UTF-8: most values are under the cap without counting.
  if (json.length * 3 <= maxBytes) return json;
  const bytes = Buffer.byteLength(json);
  if (bytes <= maxBytes) return json;
  return JSON.stringify({ truncated: true, bytes, preview: json.slice(0, PREVIEW_CHARACTERS) });
}
