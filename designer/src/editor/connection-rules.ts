import { nodeDefinition, portsOf } from '@lockstep/flow/catalog';
import type { Connection, Edge } from '@xyflow/react';
import type { StepFlowNode } from './flow-graph';

/**
 * Why an edge may not be drawn, or null when it may: the same rules the
 * engine's validation applies, checked while the designer drags so an
 * illegal edge never lands on the canvas.
 */
export function connectionProblem(connection: Connection | Edge, nodes: readonly StepFlowNode[], edges: readonly Edge[]): string | null {
  const { source, target } = connection;
  const port = connection.sourceHandle ?? 'next';
  if (source === target) return 'a step cannot lead to itself';
  const from = nodes.find((node) => node.id === source);
  const to = nodes.find((node) => node.id === target);
  if (!from || !to) return 'both ends must be steps';
  if (to.data.step.type === 'flow.start') return 'nothing leads into Start';
  const definition = nodeDefinition(from.data.step.type);
  if (definition && !portsOf(definition).includes(port as never)) return `${definition.label} has no ${port} port`;
  if (edges.some((edge) => edge.source === source && (edge.sourceHandle ?? 'next') === port)) return `the ${port} port already leads somewhere; delete that edge first`;
  if (!leavesByEach(from, port) && reaches(target, source, nodes, edges)) return 'this would make a loop; only the each branch of a For each may lead back';
  return null;
}

/** A For each's each branch is the one way back up the graph. */
function leavesByEach(node: StepFlowNode, port: string): boolean {
  return node.data.step.type === 'flow.forEach' && port === 'each';
}

/** Whether `to` is reachable from `from` by edges other than For each loops. */
function reaches(from: string, to: string, nodes: readonly StepFlowNode[], edges: readonly Edge[]): boolean {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const seen = new Set<string>();
  const queue = [from];
  for (let at = queue.pop(); at !== undefined; at = queue.pop()) {
    if (at === to) return true;
    if (seen.has(at)) continue;
    seen.add(at);
    for (const edge of edges) {
      const source = byId.get(edge.source);
      if (edge.source === at && source && !leavesByEach(source, edge.sourceHandle ?? 'next')) queue.push(edge.target);
    }
  }
  return false;
}
