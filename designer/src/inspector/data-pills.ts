import { nodeDefinition } from '@lockstep/flow/catalog';
import type { SubflowEdge, SubflowKind, SubflowNode, SubflowVariable } from '@lockstep/schema';
import { outputPaths } from './field-kind';
import { inputFieldPaths } from './input-fields';

/** One value a data pill can bring into a param. */
export interface DataPill {
  expression: string;
  /** Where it comes from, as the picker groups it: Inputs, Variables, or a step's label. */
  source: string;
}

/** The subflow a node sits in, as far as its data pills go. */
export interface PillContext {
  nodes: readonly SubflowNode[];
  edges: readonly SubflowEdge[];
  inputs: readonly SubflowVariable[];
  kind: SubflowKind;
}

/**
 * What a node's params can refer to: the subflow's inputs, the variables set
 * and the outputs of the steps that run before it (its ancestors in the
 * graph), each with the nested fields their schemas declare.
 */
export function pillsFor(nodeId: string, { nodes, edges, inputs, kind }: PillContext): DataPill[] {
  const earlier = ancestors(nodeId, edges);
  const pills: DataPill[] = inputs.flatMap((input) => [input.name, ...inputFieldPaths(kind, input.name).map((path) => `${input.name}.${path}`)].map((path) => ({ expression: `inputs.${path}`, source: 'Inputs' })));
  for (const node of nodes) {
    if (!earlier.has(node.id)) continue;
    const definition = nodeDefinition(node.type);
    if (!definition) continue;
    if (node.type === 'flow.setVariables') {
      for (const name of Object.keys((node.params.variables as Record<string, unknown> | undefined) ?? {})) pills.push({ expression: `vars.${name}`, source: 'Variables' });
    }
    const source = node.label || definition.label;
    for (const output of outputPaths(definition)) pills.push({ expression: `steps.${node.id}.${output}`, source });
  }
  return pills;
}

function ancestors(nodeId: string, edges: readonly SubflowEdge[]): Set<string> {
  const found = new Set<string>();
  const queue = [nodeId];
  for (let at = queue.pop(); at !== undefined; at = queue.pop()) {
    for (const edge of edges) {
      if (edge.target === at && !found.has(edge.source)) {
        found.add(edge.source);
        queue.push(edge.source);
      }
    }
  }
  // A For each's each branch leads back to it; the loop node is earlier, not the node itself.
  found.delete(nodeId);
  return found;
}
