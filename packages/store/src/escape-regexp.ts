/** `text` as a pattern that matches exactly it: for `$regex` filters built from user or record values. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
