/** One entry of the other side's journal, as it was written there. */
export interface RemoteEntry {
  text: string;
  by: string;
  at: string;
}

/**
 * The basic inbound template's Transform payload writes each entry it
 * receives as its text, then "(author, time)" on a line of its own, several
 * joined by a blank line (runtime/src/sync/actions/transform.ts).
 */
const PART = String.raw`([\s\S]*?)\n\(([^()\n]+), (\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})\)(?:\n\n|$)`;

/** The other side's entries a local journal entry holds, or null when it was written here. */
export function remoteEntries(value: string): RemoteEntry[] | null {
  const part = new RegExp(PART, 'y');
  const entries: RemoteEntry[] = [];
  for (let match = part.exec(value); match !== null && match[0] !== ''; match = part.exec(value)) {
    entries.push({ text: match[1]!, by: match[2]!, at: match[3]! });
    if (part.lastIndex === value.length) return entries;
  }
  return null;
}
