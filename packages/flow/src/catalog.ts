import type { AnyNodeDefinition } from './node-definition.js';
import { flowLogicNodes } from './nodes/flow-logic.js';
import { notifyNodes } from './nodes/notify.js';
import { recordNodes } from './nodes/records.js';
import { syncNodes } from './nodes/sync.js';

/** Every node type, in palette order. */
export const nodeCatalog: readonly AnyNodeDefinition[] = [...flowLogicNodes, ...recordNodes, ...syncNodes, ...notifyNodes];

const byType = new Map(nodeCatalog.map((definition) => [definition.type, definition]));

export function nodeDefinition(type: string): AnyNodeDefinition | undefined {
  return byType.get(type);
}
