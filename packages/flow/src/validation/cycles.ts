import { forEach } from '../nodes/flow-logic.js';
import type { ValidationFinding } from './finding.js';
import { adjacency, type SubflowIndex } from './graph.js';

/**
 * Only a For each may repeat steps: its each branch leads back to it. So a
 * loop is legal when it leaves a For each by its each port, and any loop left
 * once those edges are taken away would run forever.
 */
export function checkCycles(index: SubflowIndex): ValidationFinding[] {
  const forEachIds = new Set([...index.nodes.values()].filter((node) => node.type === forEach.type).map((node) => node.id));
  const loopFree = adjacency(
    index.followable.filter((edge) => !(edge.sourceHandle === 'each' && forEachIds.has(edge.source))).map((edge) => [edge.source, edge.target]),
  );
  const next = (nodeId: string): readonly string[] => loopFree.get(nodeId) ?? [];
  const nodeIds = [...index.nodes.keys()];

  const findings: ValidationFinding[] = [];
  for (const component of stronglyConnectedComponents(nodeIds, next)) {
    const members = nodeIds.filter((nodeId) => component.has(nodeId));
    const first = members[0];
    // Self-loops are not followable edges, so a loop has two nodes at least.
    if (first === undefined || members.length < 2) continue;
    const names = [...cycleThrough(first, component, next), first].map((nodeId) => {
      const node = index.nodes.get(nodeId);
      return node ? index.describe(node) : nodeId;
    });
    findings.push({
      severity: 'error',
      code: 'illegal-cycle',
      nodeId: first,
      message: `the steps ${names.join(' → ')} form a loop that does not go through the each branch of a For each, so it would never end; remove one of its edges, or use a For each to repeat steps`,
    });
  }
  return findings;
}

/** Tarjan's algorithm; each component is a set of node ids that all reach one another. */
function stronglyConnectedComponents(nodeIds: readonly string[], next: (nodeId: string) => readonly string[]): Set<string>[] {
  const visited = new Map<string, { order: number; lowLink: number }>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: Set<string>[] = [];

  const visit = (nodeId: string): { order: number; lowLink: number } => {
    const mine = { order: visited.size, lowLink: visited.size };
    visited.set(nodeId, mine);
    stack.push(nodeId);
    onStack.add(nodeId);
    for (const successor of next(nodeId)) {
      const theirs = visited.get(successor);
      if (!theirs) mine.lowLink = Math.min(mine.lowLink, visit(successor).lowLink);
      else if (onStack.has(successor)) mine.lowLink = Math.min(mine.lowLink, theirs.order);
    }
    if (mine.lowLink === mine.order) {
      const component = new Set<string>();
      for (let member = stack.pop(); member !== undefined; member = member === nodeId ? undefined : stack.pop()) {
        onStack.delete(member);
        component.add(member);
      }
      components.push(component);
    }
    return mine;
  };

  for (const nodeId of nodeIds) if (!visited.has(nodeId)) visit(nodeId);
  return components;
}

/** The shortest loop from `first` back to it within a component, `first` leading. */
function cycleThrough(first: string, component: ReadonlySet<string>, next: (nodeId: string) => readonly string[]): string[] {
  const parent = new Map<string, string>();
  const queue = [first];
  for (let at = queue.shift(); at !== undefined; at = queue.shift()) {
    for (const successor of next(at)) {
      if (successor === first) {
        const path: string[] = [];
        for (let step: string | undefined = at; step !== undefined; step = parent.get(step)) path.unshift(step);
        return path;
      }
      if (!component.has(successor) || parent.has(successor)) continue;
      parent.set(successor, at);
      queue.push(successor);
    }
  }
  throw new Error(`node ${first} is in a strongly connected component but on no loop`);
}
