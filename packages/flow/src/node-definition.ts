import type { PortName } from '@lockstep/schema';
import type { z } from 'zod';

export const nodeCategories = ['Flow logic', 'Records', 'Sync', 'Notify'] as const;
export type NodeCategory = (typeof nodeCategories)[number];

/**
 * A node type, declared once. The designer builds its palette and inspector
 * forms from it (the params schema converts to JSON Schema), validation checks
 * graphs against it, and the runtime binds an implementation to it.
 */
export interface NodeDefinition<P extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType, T extends string = string> {
  /** Stable identifier stored in graphs, e.g. `record.create`; kept as a literal type, so the catalog's types form NodeType. */
  type: T;
  label: string;
  category: NodeCategory;
  description: string;
  /** The ports an edge may leave by, apart from `error`. */
  ports: readonly PortName[];
  /** An action can fail; an edge from its `error` port then takes over instead of failing the run. */
  canFail: boolean;
  params: P;
  outputs: O;
  /** How long one attempt may take. @default 10000 */
  timeoutMs?: number;
  /**
   * The params are read on the node's first execution only, and kept in its
   * memory after (a For each's list): while the node has memory they are not
   * resolved again, which would cost as much as the list is long, every item.
   * @default false
   */
  paramsOnce?: boolean;
  /**
   * The step changes something outside the run (a record, a peer, a
   * notification), so the run is written down before it starts. Set false
   * for steps that only compute or read: they are not written ahead, and a
   * process that dies among them runs them again from the last step written.
   * @default true
   */
  sideEffects?: boolean;
}

export type AnyNodeDefinition = NodeDefinition<z.ZodType, z.ZodType>;

/** Declares a node type, keeping its params and outputs types for its implementation. */
export function defineNode<P extends z.ZodType, O extends z.ZodType, T extends string>(definition: NodeDefinition<P, O, T>): NodeDefinition<P, O, T> {
  return definition;
}

export const DEFAULT_NODE_TIMEOUT_MS = 10_000;

/** The ports a node of this type may have edges from. */
export function portsOf(definition: AnyNodeDefinition): readonly PortName[] {
  return definition.canFail ? [...definition.ports, 'error'] : definition.ports;
}
