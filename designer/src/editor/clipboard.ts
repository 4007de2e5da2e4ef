import type { Edge } from '@xyflow/react';
import { freshNodeId, type CanvasGraph, type StepFlowNode } from './flow-graph';

/** What was copied: kept for the tab, so steps paste into another subflow too. */
let copied: CanvasGraph | null = null;

/** Copies the selected steps and the edges between them. */
export function copySelection({ nodes, edges }: CanvasGraph): number {
  const chosen = nodes.filter((node) => node.selected && node.data.step.type !== 'flow.start');
  const ids = new Set(chosen.map((node) => node.id));
  if (chosen.length === 0) return 0;
  copied = { nodes: chosen, edges: edges.filter((edge) => ids.has(edge.source) && ids.has(edge.target)) };
  return chosen.length;
}

/** The graph with the copied steps added under new ids, offset so they do not hide the originals, and selected. */
export function pasteInto(graph: CanvasGraph): CanvasGraph | null {
  if (copied === null) return null;
  const taken = new Set(graph.nodes.map((node) => node.id));
  const renamed = new Map<string, string>();
  const pasted: StepFlowNode[] = copied.nodes.map((node) => {
    const id = freshNodeId(node.data.step.type, taken);
    taken.add(id);
    renamed.set(node.id, id);
    const position = { x: node.position.x + 40, y: node.position.y + 40 };
    return { ...node, id, position, selected: true, data: { step: { ...node.data.step, id, position } } };
  });
  const pastedEdges: Edge[] = copied.edges.map((edge) => {
    const source = renamed.get(edge.source)!;
    const target = renamed.get(edge.target)!;
    return { ...edge, id: `${source}-${edge.sourceHandle ?? 'next'}-${target}`, source, target, selected: false };
  });
  return {
    nodes: [...graph.nodes.map((node) => ({ ...node, selected: false })), ...pasted],
    edges: [...graph.edges.map((edge) => ({ ...edge, selected: false })), ...pastedEdges],
  };
}
