import type { SubflowEdge, SubflowGraph, SubflowNode } from '@lockstep/schema';
import { portsOf, type AnyNodeDefinition } from '../node-definition.js';
import { start } from '../nodes/flow-logic.js';
import { describeNode } from './finding.js';

export type DefinitionLookup = (type: string) => AnyNodeDefinition | undefined;

/**
 * Why the runtime could never follow an edge; the kind is the finding's code.
 * The edge checks report it; the graph analyses leave the edge out.
 */
export type EdgeFault =
  | { kind: 'edge-missing-node'; missing: string[] }
  | { kind: 'self-loop' }
  | { kind: 'edge-into-start' }
  | { kind: 'unknown-port'; definition: AnyNodeDefinition };

/** A subflow graph with the look-ups every check needs, built once per validation. */
export interface SubflowIndex {
  graph: SubflowGraph;
  /** The first node with each id; later ones are reported as duplicates and otherwise ignored. */
  nodes: ReadonlyMap<string, SubflowNode>;
  starts: readonly SubflowNode[];
  definitionOf(node: SubflowNode): AnyNodeDefinition | undefined;
  describe(node: SubflowNode): string;
  faultOf(edge: SubflowEdge): EdgeFault | undefined;
  /** The edges the runtime can follow: those without a fault. */
  followable: readonly SubflowEdge[];
  successors(nodeId: string): readonly string[];
  predecessors(nodeId: string): readonly string[];
}

export function indexSubflow(graph: SubflowGraph, lookup: DefinitionLookup): SubflowIndex {
  const nodes = new Map<string, SubflowNode>();
  for (const node of graph.nodes) if (!nodes.has(node.id)) nodes.set(node.id, node);
  const definitionOf = (node: SubflowNode): AnyNodeDefinition | undefined => lookup(node.type);

  const faults = new Map<SubflowEdge, EdgeFault>();
  for (const edge of graph.edges) {
    const fault = edgeFault(edge, nodes, definitionOf);
    if (fault) faults.set(edge, fault);
  }
  const followable = graph.edges.filter((edge) => !faults.has(edge));
  const successors = adjacency(followable.map((edge) => [edge.source, edge.target]));
  const predecessors = adjacency(followable.map((edge) => [edge.target, edge.source]));

  return {
    graph,
    nodes,
    starts: [...nodes.values()].filter((node) => node.type === start.type),
    definitionOf,
    describe: (node) => describeNode(node, definitionOf(node)),
    faultOf: (edge) => faults.get(edge),
    followable,
    successors: (nodeId) => successors.get(nodeId) ?? [],
    predecessors: (nodeId) => predecessors.get(nodeId) ?? [],
  };
}

function edgeFault(
  edge: SubflowEdge,
  nodes: ReadonlyMap<string, SubflowNode>,
  definitionOf: (node: SubflowNode) => AnyNodeDefinition | undefined,
): EdgeFault | undefined {
  const source = nodes.get(edge.source);
  const target = nodes.get(edge.target);
  if (!source || !target) {
    return { kind: 'edge-missing-node', missing: [...new Set([edge.source, edge.target])].filter((id) => !nodes.has(id)) };
  }
  if (edge.source === edge.target) return { kind: 'self-loop' };
  if (target.type === start.type) return { kind: 'edge-into-start' };
  const definition = definitionOf(source);
  // A node of an unknown type is reported once as such; guessing its ports would only add noise.
  if (definition && !portsOf(definition).includes(edge.sourceHandle)) return { kind: 'unknown-port', definition };
  return undefined;
}

export function adjacency(pairs: readonly (readonly [string, string])[]): Map<string, string[]> {
  const next = new Map<string, string[]>();
  for (const [from, to] of pairs) {
    const list = next.get(from);
    if (list) list.push(to);
    else next.set(from, [to]);
  }
  return next;
}

/** Every node reachable from the roots, the roots included. */
export function reachFrom(roots: readonly string[], next: (nodeId: string) => readonly string[]): Set<string> {
  const reached = new Set(roots);
  const queue = [...roots];
  for (let at = queue.shift(); at !== undefined; at = queue.shift()) {
    for (const neighbour of next(at)) {
      if (reached.has(neighbour)) continue;
      reached.add(neighbour);
      queue.push(neighbour);
    }
  }
  return reached;
}
