import type { SubflowNode } from '@lockstep/schema';
import type { AnyNodeDefinition } from '../node-definition.js';

/** One problem in a subflow graph, worded for the designer who drew it. */
export interface ValidationFinding {
  /** Errors stop a subflow from publishing; warnings point at something that probably does not do what was meant. */
  severity: 'error' | 'warning';
  code: string;
  message: string;
  nodeId?: string;
  edgeId?: string;
  /** Param path within the node, e.g. values.short_description. */
  path?: string;
}

/** How messages name a node: its label as the designer sees it, and its id to find it. */
export function describeNode(node: SubflowNode, definition: AnyNodeDefinition | undefined): string {
  return `"${node.label || definition?.label || node.type}" (${node.id})`;
}

/** Quoted choices for a message: `"a"`, `"a" or "b"`, `"a", "b" or "c"`. */
export function alternatives(choices: readonly string[]): string {
  const quoted = choices.map((choice) => `"${choice}"`);
  const last = quoted.pop();
  return quoted.length === 0 ? (last ?? '') : `${quoted.join(', ')} or ${last}`;
}
