import type { SubflowEdge } from '@lockstep/schema';
import { forEach } from '../nodes/flow-logic.js';
import type { ValidationFinding } from './finding.js';
import { reachFrom, type SubflowIndex } from './graph.js';

/**
 * A For each runs its each branch once per item and learns the branch is done
 * when the branch leads back to it. A branch that never does ends the run at
 * the first item.
 */
export function checkForEachBranches(index: SubflowIndex): ValidationFinding[] {
  const findings: ValidationFinding[] = [];
  for (const node of index.nodes.values()) {
    if (node.type !== forEach.type) continue;
    const name = index.describe(node);
    const isEach = (edge: SubflowEdge): boolean => edge.source === node.id && edge.sourceHandle === 'each';
    if (!index.graph.edges.some(isEach)) {
      findings.push({
        severity: 'warning',
        code: 'for-each-no-return',
        nodeId: node.id,
        message: `node ${name}: its each port is not connected, so the run ends at the first item; connect it to the steps to run for each item and lead them back to ${name}`,
      });
      continue;
    }
    // Each edges with faults are errors already; judge the branch by the ones that run.
    const branches = index.followable.filter(isEach);
    if (branches.length === 0 || branches.some((edge) => reachFrom([edge.target], index.successors).has(node.id))) continue;
    findings.push({
      severity: 'warning',
      code: 'for-each-no-return',
      nodeId: node.id,
      message: `the each branch of ${name} never comes back to ${name}, so only the first item runs; connect the last step of the branch back to ${name}`,
    });
  }
  return findings;
}
