import type { SubflowGraph } from '@lockstep/schema';
import { useCallback, useRef, useState } from 'react';
import { ApiProblem } from '../api/client';
import { subflowApi, type LoadedSubflow, type SubflowView } from '../api/subflows';

export interface Notice {
  tone: 'info' | 'error';
  text: string;
  /** The runtime's per-finding details, e.g. why publishing was refused. */
  details?: string[];
}

/**
 * Saving and publishing a draft against the runtime. Saves carry the ETag the
 * draft was loaded with; when someone else saved in between, the runtime
 * answers 412 and the designer chooses to reload theirs or overwrite it.
 */
export function useDraftSaving(loaded: LoadedSubflow) {
  const [subflow, setSubflow] = useState<SubflowView>(loaded.subflow);
  // A ref, not state: a publish right after a save must send the save's new ETag, not the one it rendered with.
  const etag = useRef(loaded.etag);
  const [conflict, setConflict] = useState(false);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);

  const accept = (next: LoadedSubflow) => {
    setSubflow(next.subflow);
    etag.current = next.etag;
    setConflict(false);
  };

  const attempt = async <T,>(action: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setNotice(null);
    try {
      return await action();
    } catch (failure) {
      if (failure instanceof ApiProblem && failure.status === 412) {
        setConflict(true);
        return undefined;
      }
      const details = failure instanceof ApiProblem ? failure.problem.errors?.map((error) => `${error.path}: ${error.message}`) : undefined;
      setNotice({ tone: 'error', text: (failure as Error).message, details });
      return undefined;
    } finally {
      setBusy(false);
    }
  };

  /** Saves the graph as the draft; true when it was saved. */
  const save = async (graph: SubflowGraph): Promise<boolean> => {
    const saved = await attempt(() => subflowApi.save(subflow.id, graph, etag.current ?? '*'));
    if (saved === undefined) return false;
    accept(saved);
    setNotice({ tone: 'info', text: `Saved at ${new Date().toLocaleTimeString()}` });
    return true;
  };

  /** After a conflict: saves over the other designer's change, knowingly. */
  const overwrite = async (graph: SubflowGraph): Promise<boolean> => {
    const saved = await attempt(async () => {
      const latest = await subflowApi.get(subflow.id);
      return subflowApi.save(subflow.id, graph, latest.etag ?? '*');
    });
    if (saved === undefined) return false;
    accept(saved);
    setNotice({ tone: 'info', text: 'Saved over the other change' });
    return true;
  };

  /** Publishes the saved draft as a new version, then reloads the draft (it now carries the next version number). */
  const publish = async (): Promise<void> => {
    const published = await attempt(async () => {
      const version = await subflowApi.publish(subflow.id, etag.current ?? '*');
      accept(await subflowApi.get(subflow.id));
      return version;
    });
    if (published !== undefined) setNotice({ tone: 'info', text: `Published version ${published.version}` });
  };

  /** The revision the editor's work is based on, kept with unsaved edits so a later save still meets a conflict. */
  const baseEtag = useCallback(() => etag.current, []);

  return { subflow, conflict, busy, notice, setNotice, save, overwrite, publish, baseEtag };
}
