import { useCallback, useRef, useState } from 'react';
import type { CanvasGraph } from './flow-graph';

const LIMIT = 100;
/** Edits to one field within this long of each other undo together, as one piece of typing. */
const MERGE_MS = 1500;

/**
 * Undo and redo over whole-graph snapshots. The editor commits after a
 * finished gesture (a drag stops, an edge connects, a deletion, a paste, a
 * param edit), not on every change, so one undo reverts one thing the
 * designer did. Typing in one field commits with a merge key, so a word typed
 * is one step back, not one per letter.
 */
export function useHistory(initial: CanvasGraph) {
  const present = useRef(initial);
  const past = useRef<CanvasGraph[]>([]);
  const future = useRef<CanvasGraph[]>([]);
  const lastMerge = useRef<{ key: string; at: number } | null>(null);
  /** The stacks' depths, as state, so the undo and redo buttons follow them. */
  const [depths, setDepths] = useState({ past: 0, future: 0 });
  const changed = () => setDepths({ past: past.current.length, future: future.current.length });

  const commit = useCallback((next: CanvasGraph, mergeKey?: string) => {
    const now = Date.now();
    const merges = mergeKey !== undefined && lastMerge.current?.key === mergeKey && now - lastMerge.current.at < MERGE_MS;
    lastMerge.current = mergeKey === undefined ? null : { key: mergeKey, at: now };
    if (merges) {
      present.current = next;
      return;
    }
    past.current = [...past.current.slice(-LIMIT + 1), present.current];
    future.current = [];
    present.current = next;
    changed();
  }, []);

  const undo = useCallback((): CanvasGraph | undefined => {
    lastMerge.current = null;
    const previous = past.current.at(-1);
    if (previous === undefined) return undefined;
    past.current = past.current.slice(0, -1);
    future.current = [present.current, ...future.current];
    present.current = previous;
    changed();
    return previous;
  }, []);

  const redo = useCallback((): CanvasGraph | undefined => {
    const next = future.current[0];
    if (next === undefined) return undefined;
    future.current = future.current.slice(1);
    past.current = [...past.current, present.current];
    present.current = next;
    changed();
    return next;
  }, []);

  return { commit, undo, redo, canUndo: depths.past > 0, canRedo: depths.future > 0 };
}
