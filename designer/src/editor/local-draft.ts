import { subflowGraphSchema, type SubflowGraph } from '@lockstep/schema';
import { z } from 'zod';
import { currentSession } from '../api/session';

/**
 * A draft's unsaved edits, kept in this browser's local storage until they
 * are saved or discarded, so a reload, a closed tab or a crash loses nothing.
 * `etag` is the revision the edits were made on: saving them later over a
 * newer revision meets the usual conflict instead of overwriting it unseen.
 */
const localDraftSchema = z.object({
  // A name being retyped may be empty for a moment; the edits are kept all the same.
  graph: subflowGraphSchema.extend({ name: z.string() }),
  etag: z.string().nullable(),
  keptAt: z.string(),
});
export type LocalDraft = z.infer<typeof localDraftSchema>;

/** Per user as well as per subflow: two people who share a browser never get each other's edits. */
const keyOf = (subflowId: string) => `lockstep.unsaved.${currentSession()?.userName ?? ''}.${subflowId}`;

export function readLocalDraft(subflowId: string): LocalDraft | null {
  const stored = localStorage.getItem(keyOf(subflowId));
  if (stored === null) return null;
  try {
    const parsed = localDraftSchema.safeParse(JSON.parse(stored));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function keepLocalDraft(subflowId: string, graph: SubflowGraph, etag: string | null): void {
  const draft: LocalDraft = { graph, etag, keptAt: new Date().toISOString() };
  localStorage.setItem(keyOf(subflowId), JSON.stringify(draft));
}

export function forgetLocalDraft(subflowId: string): void {
  localStorage.removeItem(keyOf(subflowId));
}
