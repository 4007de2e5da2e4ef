import type { SubflowGraph } from '@lockstep/schema';
import { useCallback, useEffect, useRef } from 'react';
import { forgetLocalDraft, keepLocalDraft } from './local-draft';

/** Quiet time after an edit before the draft is written to local storage, so a drag writes once, not every frame. */
const SETTLE_MS = 300;

/**
 * Keeps unsaved edits in local storage while there are any, and forgets them
 * once saved. Writes again at once when the page goes away or the editor
 * closes, so the last edit before a reload is kept too.
 */
export function useKeptDraft({ subflowId, graph, dirty, baseEtag, enabled }: { subflowId: string; graph: SubflowGraph; dirty: boolean; baseEtag: () => string | null; enabled: boolean }) {
  const latest = useRef({ graph, dirty });
  const discarded = useRef(false);

  const keep = useCallback(() => {
    if (!enabled || discarded.current) return;
    if (latest.current.dirty) keepLocalDraft(subflowId, latest.current.graph, baseEtag());
    else forgetLocalDraft(subflowId);
  }, [subflowId, baseEtag, enabled]);

  useEffect(() => {
    latest.current = { graph, dirty };
    const timer = setTimeout(keep, SETTLE_MS);
    return () => clearTimeout(timer);
  }, [graph, dirty, keep]);

  useEffect(() => {
    window.addEventListener('pagehide', keep);
    return () => {
      window.removeEventListener('pagehide', keep);
      keep();
    };
  }, [keep]);

  /** Drops the kept edits for good: nothing writes them again from this editor. */
  const discard = useCallback(() => {
    discarded.current = true;
    forgetLocalDraft(subflowId);
  }, [subflowId]);

  return { discard };
}
