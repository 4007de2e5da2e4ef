import { nodeDefinition, portsOf } from '@lockstep/flow/catalog';
import type { ElkNode } from 'elkjs/lib/elk-api';
import type { CanvasGraph, StepFlowNode } from './flow-graph';
import { STEP_HEIGHT, STEP_WIDTH } from './step-size';

/**
 * ELK's layered algorithm, left to right the way a run reads: Start in the
 * first layer, each step right of the one before, branches stacked in their
 * ports' order (true above false), and a For each's way back drawn as the one
 * edge that runs leftwards rather than folding the graph into a zig-zag.
 */
const layoutOptions = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.spacing.nodeNode': '40',
  'elk.layered.spacing.nodeNodeBetweenLayers': '90',
  'elk.layered.cycleBreaking.strategy': 'DEPTH_FIRST',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
};

const sizeOf = (node: StepFlowNode) => ({ width: node.measured?.width ?? STEP_WIDTH, height: node.measured?.height ?? STEP_HEIGHT });

const portId = (nodeId: string, port: string) => `${nodeId}\u0000${port}`;

function elkNode(node: StepFlowNode): ElkNode {
  const definition = nodeDefinition(node.data.step.type);
  const ports = definition ? portsOf(definition) : ['next'];
  return {
    id: node.id,
    ...sizeOf(node),
    layoutOptions: {
      'elk.portConstraints': 'FIXED_ORDER',
      ...(node.data.step.type === 'flow.start' ? { 'elk.layered.layering.layerConstraint': 'FIRST' } : {}),
    },
    // ELK numbers ports clockwise: the outputs down the right side in the step's own order, then the input on the left.
    ports: [
      ...ports.map((port, index) => ({ id: portId(node.id, port), layoutOptions: { 'elk.port.side': 'EAST', 'elk.port.index': String(index) } })),
      { id: portId(node.id, 'in'), layoutOptions: { 'elk.port.side': 'WEST', 'elk.port.index': String(ports.length) } },
    ],
  };
}

/** The graph with every step moved to its place in the layered layout; edges are unchanged. */
export async function autoLayout({ nodes, edges }: CanvasGraph): Promise<CanvasGraph> {
  // Loaded on first use: ELK is large, and most sessions never tidy.
  const { default: Elk } = await import('elkjs/lib/elk.bundled.js');
  const ids = new Set(nodes.map((node) => node.id));
  const laidOut = await new Elk().layout({
    id: 'subflow',
    layoutOptions,
    children: nodes.map(elkNode),
    edges: edges
      .filter((edge) => ids.has(edge.source) && ids.has(edge.target))
      .map((edge) => ({ id: edge.id, sources: [portId(edge.source, edge.sourceHandle ?? 'next')], targets: [portId(edge.target, 'in')] })),
  });
  const placed = new Map((laidOut.children ?? []).map((child) => [child.id, { x: child.x ?? 0, y: child.y ?? 0 }]));
  return { edges, nodes: nodes.map((node) => ({ ...node, position: placed.get(node.id) ?? node.position })) };
}
