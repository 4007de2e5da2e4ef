import type { SubflowGraph } from '@lockstep/schema';
import { nodeDefinition } from '../catalog.js';
import { checkCycles } from './cycles.js';
import type { ValidationFinding } from './finding.js';
import { checkForEachBranches } from './for-each.js';
import { indexSubflow, type DefinitionLookup } from './graph.js';
import { checkEndOutputs } from './outputs.js';
import { checkParams } from './params.js';
import { checkReachability } from './reachability.js';
import { checkEdges, checkNodes } from './structure.js';

export type { ValidationFinding } from './finding.js';
export type { DefinitionLookup } from './graph.js';

/**
 * Everything wrong with a subflow graph that can be known before it runs. The
 * designer shows the findings on the canvas; a subflow with errors does not
 * publish. `lookup` finds node types, the catalog by default.
 */
export function validateSubflow(graph: SubflowGraph, lookup: DefinitionLookup = nodeDefinition): ValidationFinding[] {
  const index = indexSubflow(graph, lookup);
  const findings = [
    ...checkNodes(index),
    ...checkEdges(index),
    ...checkReachability(index),
    ...checkCycles(index),
    ...checkForEachBranches(index),
    ...checkParams(index),
    ...checkEndOutputs(index),
  ];
  return findings.sort(inGraphOrder(graph));
}

/** By node order (graph-wide findings first), then code, then edge order and param path, so the same graph always lists the same way. */
function inGraphOrder(graph: SubflowGraph): (a: ValidationFinding, b: ValidationFinding) => number {
  const nodeOrder = firstPositions(graph.nodes.map((node) => node.id));
  const edgeOrder = firstPositions(graph.edges.map((edge) => edge.id));
  const position = (order: Map<string, number>, id: string | undefined): number => (id === undefined ? -1 : (order.get(id) ?? -1));
  return (a, b) =>
    position(nodeOrder, a.nodeId) - position(nodeOrder, b.nodeId) ||
    compareText(a.code, b.code) ||
    position(edgeOrder, a.edgeId) - position(edgeOrder, b.edgeId) ||
    compareText(a.path ?? '', b.path ?? '');
}

function firstPositions(ids: readonly string[]): Map<string, number> {
  const positions = new Map<string, number>();
  ids.forEach((id, position) => {
    if (!positions.has(id)) positions.set(id, position);
  });
  return positions;
}

/** Code-point order, the same in every locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
