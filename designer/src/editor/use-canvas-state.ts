import { useEdgesState, useNodesState } from '@xyflow/react';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CanvasGraph } from './flow-graph';
import { useHistory } from './use-history';

/**
 * The canvas's nodes and edges with their undo history. Handlers that finish
 * a gesture call `requestCommit`; the commit happens once React has applied
 * the gesture's changes, so the snapshot is the graph the designer now sees.
 */
export function useCanvasState(initial: CanvasGraph) {
  const [nodes, setNodes, onNodesChange] = useNodesState(initial.nodes);
  const [edges, setEdges, onEdgesChange] = useEdgesState(initial.edges);
  const { commit, undo, redo, canUndo, canRedo } = useHistory(initial);
  const pendingCommit = useRef<{ mergeKey?: string } | null>(null);
  /** Counts graph changes the designer made; compared with the count at the last save to tell unsaved work. */
  const [changes, setChanges] = useState(0);

  useEffect(() => {
    const pending = pendingCommit.current;
    if (pending === null) return;
    pendingCommit.current = null;
    commit({ nodes, edges }, pending.mergeKey);
  }, [nodes, edges, commit]);

  const requestCommit = useCallback((mergeKey?: string) => {
    pendingCommit.current = { mergeKey };
    setChanges((count) => count + 1);
  }, []);

  const restore = useCallback(
    (graph: CanvasGraph | undefined) => {
      if (graph === undefined) return;
      setNodes(graph.nodes);
      setEdges(graph.edges);
      setChanges((count) => count + 1);
    },
    [setNodes, setEdges],
  );

  /** Replaces the whole graph as one undoable change (auto-layout, paste). */
  const replace = useCallback(
    (graph: CanvasGraph) => {
      setNodes(graph.nodes);
      setEdges(graph.edges);
      requestCommit();
    },
    [setNodes, setEdges, requestCommit],
  );

  return {
    nodes,
    edges,
    setNodes,
    setEdges,
    onNodesChange,
    onEdgesChange,
    requestCommit,
    replace,
    undo: () => restore(undo()),
    redo: () => restore(redo()),
    canUndo,
    canRedo,
    changes,
  };
}
