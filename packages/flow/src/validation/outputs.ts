import { end } from '../nodes/flow-logic.js';
import type { ValidationFinding } from './finding.js';
import type { SubflowIndex } from './graph.js';

/** An End sets the subflow's outputs: only declared ones, and every required one. */
export function checkEndOutputs(index: SubflowIndex): ValidationFinding[] {
  const findings: ValidationFinding[] = [];
  const declared = new Set(index.graph.outputs.map((output) => output.name));
  for (const node of index.graph.nodes) {
    if (node.type !== end.type) continue;
    const outputs = node.params.outputs ?? {};
    // A pill gives the outputs only at run time, and a value of the wrong shape is an invalid param.
    if (typeof outputs !== 'object' || outputs === null || Array.isArray(outputs)) continue;
    const name = index.describe(node);
    for (const output of Object.keys(outputs)) {
      if (declared.has(output)) continue;
      findings.push({
        severity: 'error',
        code: 'undeclared-output',
        nodeId: node.id,
        path: `outputs.${output}`,
        message: `node ${name}: "${output}" is not an output of the subflow; declare it in the subflow's outputs or remove it here`,
      });
    }
    for (const output of index.graph.outputs) {
      if (!output.required || Object.hasOwn(outputs, output.name)) continue;
      findings.push({
        severity: 'error',
        code: 'missing-output',
        nodeId: node.id,
        path: `outputs.${output.name}`,
        message: `node ${name}: the required output "${output.name}" is not set; give it a value here`,
      });
    }
  }
  return findings;
}
