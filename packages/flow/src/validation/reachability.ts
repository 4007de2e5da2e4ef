import { end, raiseError } from '../nodes/flow-logic.js';
import type { ValidationFinding } from './finding.js';
import { reachFrom, type SubflowIndex } from './graph.js';

/** Every node runs from Start, some End is reachable, and every branch can still finish. */
export function checkReachability(index: SubflowIndex): ValidationFinding[] {
  // Without a Start there is nothing to measure from; missing-start says so.
  if (index.starts.length === 0) return [];
  const findings: ValidationFinding[] = [];
  // Extra Starts are errors already; measuring from all of them keeps their branches from also showing as unreachable.
  const reached = reachFrom(
    index.starts.map((node) => node.id),
    index.successors,
  );
  for (const node of index.nodes.values()) {
    if (reached.has(node.id)) continue;
    findings.push({
      severity: 'error',
      code: 'unreachable-node',
      nodeId: node.id,
      message: `node ${index.describe(node)}: no path from Start leads here, so it never runs; connect it or remove it`,
    });
  }

  const nodes = [...index.nodes.values()];
  if (!nodes.some((node) => node.type === end.type && reached.has(node.id))) {
    const message = nodes.some((node) => node.type === end.type)
      ? 'no End node can be reached from Start; connect a branch to an End node'
      : 'the subflow has no End node; add one and connect the last step to it';
    // Every branch would be a dead end too; one error says it.
    return [...findings, { severity: 'error', code: 'no-reachable-end', message }];
  }

  // A Raise error node ends its branch on purpose, so a branch that leads to one is finished too.
  const finishers = nodes.filter((node) => node.type === end.type || node.type === raiseError.type).map((node) => node.id);
  const canFinish = reachFrom(finishers, index.predecessors);
  for (const node of nodes) {
    if (!reached.has(node.id) || canFinish.has(node.id)) continue;
    findings.push({
      severity: 'warning',
      code: 'dead-end',
      nodeId: node.id,
      message: `node ${index.describe(node)}: no End node can be reached from here, so a run that gets here stops without setting the subflow's outputs; connect this branch to an End node`,
    });
  }
  return findings;
}
