import dagre from '@dagrejs/dagre';
import type { CanvasGraph } from './flow-graph';

export const STEP_WIDTH = 220;
export const STEP_HEIGHT = 72;

/** Top-to-bottom layered layout (dagre), the way runs read: each step below the one before. */
export function autoLayout({ nodes, edges }: CanvasGraph): CanvasGraph {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: 'TB', nodesep: 48, ranksep: 72 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of nodes) graph.setNode(node.id, { width: node.measured?.width ?? STEP_WIDTH, height: node.measured?.height ?? STEP_HEIGHT });
  for (const edge of edges) graph.setEdge(edge.source, edge.target);
  dagre.layout(graph);
  return {
    edges,
    nodes: nodes.map((node) => {
      const placed = graph.node(node.id);
      const width = node.measured?.width ?? STEP_WIDTH;
      const height = node.measured?.height ?? STEP_HEIGHT;
      return { ...node, position: { x: placed.x - width / 2, y: placed.y - height / 2 } };
    }),
  };
}
