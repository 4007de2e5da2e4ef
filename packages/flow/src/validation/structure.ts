import type { SubflowEdge } from '@lockstep/schema';
import { portsOf } from '../node-definition.js';
import { alternatives, type ValidationFinding } from './finding.js';
import type { EdgeFault, SubflowIndex } from './graph.js';

/** One Start node, unique node ids, and only node types the catalog knows. */
export function checkNodes(index: SubflowIndex): ValidationFinding[] {
  const findings: ValidationFinding[] = [];
  const [firstStart, ...extraStarts] = index.starts;
  if (!firstStart) {
    findings.push({ severity: 'error', code: 'missing-start', message: 'the subflow has no Start node; add one and connect it to the first step' });
  } else {
    for (const node of extraStarts) {
      findings.push({
        severity: 'error',
        code: 'multiple-starts',
        nodeId: node.id,
        message: `node ${index.describe(node)}: a subflow has one Start node and ${index.describe(firstStart)} is already one; remove this one`,
      });
    }
  }
  const seen = new Set<string>();
  for (const node of index.graph.nodes) {
    if (seen.has(node.id)) {
      findings.push({
        severity: 'error',
        code: 'duplicate-node-id',
        nodeId: node.id,
        message: `node ${index.describe(node)}: another node already has the id "${node.id}"; give this one its own id`,
      });
    }
    seen.add(node.id);
    if (!index.definitionOf(node)) {
      findings.push({
        severity: 'error',
        code: 'unknown-node-type',
        nodeId: node.id,
        message: `node ${index.describe(node)}: there is no node type "${node.type}"; replace the node with one from the palette`,
      });
    }
  }
  return findings;
}

/** Unique edge ids, edges the runtime can follow, and one edge per port. */
export function checkEdges(index: SubflowIndex): ValidationFinding[] {
  const findings: ValidationFinding[] = [];
  const seenIds = new Set<string>();
  for (const edge of index.graph.edges) {
    const at = { edgeId: edge.id, ...(index.nodes.has(edge.source) ? { nodeId: edge.source } : {}) };
    if (seenIds.has(edge.id)) {
      findings.push({ severity: 'error', code: 'duplicate-edge-id', ...at, message: `edge ${edge.id}: another edge already has this id; give this one its own id` });
    }
    seenIds.add(edge.id);
    const fault = index.faultOf(edge);
    if (fault) findings.push({ severity: 'error', code: fault.kind, ...at, message: faultMessage(index, edge, fault) });
  }

  // At run time a port leads to one place; a second edge from it would leave the next step ambiguous.
  const edgeFromPort = new Map<string, SubflowEdge>();
  for (const edge of index.followable) {
    const port = JSON.stringify([edge.source, edge.sourceHandle]);
    const first = edgeFromPort.get(port);
    if (!first) {
      edgeFromPort.set(port, edge);
      continue;
    }
    findings.push({
      severity: 'error',
      code: 'port-used-twice',
      nodeId: edge.source,
      edgeId: edge.id,
      message: `node ${nameOf(index, edge.source)}: port "${edge.sourceHandle}" already leads to ${nameOf(index, first.target)} by edge ${first.id}, and a port leads to one place; remove edge ${edge.id} or move it to another port`,
    });
  }
  return findings;
}

function faultMessage(index: SubflowIndex, edge: SubflowEdge, fault: EdgeFault): string {
  switch (fault.kind) {
    case 'edge-missing-node':
      return `edge ${edge.id} (${edge.source} → ${edge.target}): there is no node ${alternatives(fault.missing)}; reconnect the edge or remove it`;
    case 'self-loop':
      return `node ${nameOf(index, edge.source)}: edge ${edge.id} leads from its "${edge.sourceHandle}" port back to itself; to repeat steps, put them in the each branch of a For each node`;
    case 'edge-into-start':
      return `node ${nameOf(index, edge.source)}: edge ${edge.id} leads into Start ${nameOf(index, edge.target)}, which only begins a run; remove the edge`;
    case 'unknown-port': {
      const { definition } = fault;
      const ports = portsOf(definition);
      const source = `node ${nameOf(index, edge.source)}`;
      if (ports.length === 0) return `${source}: ${definition.label} has no ports, so nothing runs after it; remove edge ${edge.id}`;
      if (edge.sourceHandle === 'error' && !definition.canFail) {
        return `${source}: ${definition.label} cannot fail, so it has no "error" port; connect from ${alternatives(ports)}`;
      }
      return `${source}: port "${edge.sourceHandle}" does not exist on ${definition.label}; connect from ${alternatives(ports)}`;
    }
  }
}

/** `"Label" (id)` for a node an edge names. */
function nameOf(index: SubflowIndex, nodeId: string): string {
  const node = index.nodes.get(nodeId);
  return node ? index.describe(node) : `"${nodeId}"`;
}
