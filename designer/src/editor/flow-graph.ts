import type { SubflowEdge, SubflowNode } from '@lockstep/schema';
import type { Edge, Node } from '@xyflow/react';
import { nodeDefinition } from '@lockstep/flow/catalog';
import { defaultParams } from '../inspector/field-kind';

/** A step on the canvas carries its subflow node unchanged, so saving is a plain read back. */
export type StepData = { step: SubflowNode };
export type StepFlowNode = Node<StepData, 'step'>;

/** What undo and redo restore, and what a save sends. */
export interface CanvasGraph {
  nodes: StepFlowNode[];
  edges: Edge[];
}

export function toFlowNodes(nodes: readonly SubflowNode[]): StepFlowNode[] {
  return nodes.map((step) => ({ id: step.id, type: 'step', position: step.position, data: { step } }));
}

export function toFlowEdges(edges: readonly SubflowEdge[]): Edge[] {
  return edges.map((edge) => ({ id: edge.id, source: edge.source, target: edge.target, sourceHandle: edge.sourceHandle, label: portLabel(edge.sourceHandle) }));
}

/** The ports worth naming on an edge: a plain `next` goes without saying. */
function portLabel(port: string): string | undefined {
  return port === 'next' ? undefined : port;
}

export function flowEdge(source: string, sourceHandle: SubflowEdge['sourceHandle'], target: string): Edge {
  return toFlowEdges([{ id: `${source}-${sourceHandle}-${target}`, source, sourceHandle, target }])[0]!;
}

export function toSubflowParts({ nodes, edges }: CanvasGraph): { nodes: SubflowNode[]; edges: SubflowEdge[] } {
  return {
    nodes: nodes.map((node) => ({ ...node.data.step, position: { x: Math.round(node.position.x), y: Math.round(node.position.y) } })),
    edges: edges.map((edge) => ({ id: edge.id, source: edge.source, target: edge.target, sourceHandle: (edge.sourceHandle ?? 'next') as SubflowEdge['sourceHandle'] })),
  };
}

/** A node id no other node has, readable after its type: `create_2`. */
export function freshNodeId(type: string, taken: ReadonlySet<string>): string {
  const base = (type.split('.').pop() ?? 'step').replace(/[^A-Za-z0-9_]/g, '_').replace(/^[^A-Za-z]+/, '') || 'step';
  for (let n = 1; ; n += 1) {
    const id = `${base}_${n}`;
    if (!taken.has(id)) return id;
  }
}

/** A new step of a catalog type, with its params' defaults filled in. */
export function newStep(type: string, id: string, position: { x: number; y: number }): SubflowNode {
  const definition = nodeDefinition(type);
  return { id, type, label: definition?.label ?? type, position, params: definition ? defaultParams(definition) : {} };
}
