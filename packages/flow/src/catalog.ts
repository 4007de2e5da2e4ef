import type { AnyNodeDefinition } from './node-definition.js';
import { flowLogicNodes } from './nodes/flow-logic.js';
import { notifyNodes } from './nodes/notify.js';
import { recordNodes } from './nodes/records.js';
import { remoteTaskNodes } from './nodes/remote-tasks.js';
import { syncNodes } from './nodes/sync.js';

const catalogNodes = [...flowLogicNodes, ...recordNodes, ...syncNodes, ...remoteTaskNodes, ...notifyNodes];

/** The type of every node in the catalog, as a union: what a NodeRegistry must bind, each one. */
export type NodeType = (typeof catalogNodes)[number]['type'];

/** Every node type, in palette order. */
export const nodeCatalog: readonly AnyNodeDefinition[] = catalogNodes;

const byType = new Map(nodeCatalog.map((definition) => [definition.type, definition]));

export function nodeDefinition(type: string): AnyNodeDefinition | undefined {
  return byType.get(type);
}
