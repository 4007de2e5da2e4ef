import type { PortName, SubflowGraph, SubflowNode } from '@lockstep/schema';
import { randomUUID } from 'node:crypto';
import { flowLogicImplementations } from '../../src/implementations/flow-logic.js';
import { implement, type NodeImplementation } from '../../src/implementation.js';
import { createRecord } from '../../src/nodes/records.js';
import { MemoryContextStore } from '../../src/runner/flow-context.js';
import { FlowRunner, type RunnableSubflow } from '../../src/runner/runner.js';

/** A node for a test graph; position and label do not matter to the engine. */
export function node(id: string, type: string, params: Record<string, unknown> = {}, extra: Partial<SubflowNode> = {}): SubflowNode {
  return { id, type, label: id, position: { x: 0, y: 0 }, params, ...extra };
}

/** Edges written as `source:port>target`, e.g. `check:true>log`. */
export function graph(nodes: SubflowNode[], edges: string[], extra: Partial<SubflowGraph> = {}): SubflowGraph {
  return {
    name: 'test flow',
    description: '',
    kind: 'custom',
    inputs: [],
    outputs: [],
    timeLimitMs: 30_000,
    nodes,
    edges: edges.map((text, index) => {
      const [, source = '', port = 'next', target = ''] = /^([^:>]+)(?::(\w+))?>(.+)$/.exec(text) ?? [];
      return { id: `e${index}`, source, sourceHandle: port as PortName, target };
    }),
    ...extra,
  };
}

export const tester = { userId: 'a'.repeat(32), userName: 'tester', roles: ['admin'], domain: 'global' };

export function published(subflowGraph: SubflowGraph, id = 'test-flow'): RunnableSubflow {
  return { id, version: 1, graph: subflowGraph };
}

/**
 * Stands in for the runtime's Create record: keeps created records by the
 * step's idempotency key, as the real one keys sys_ids on it, and counts calls
 * so a test can tell an effect applied twice from one deduplicated.
 */
export class RecordedEffects {
  readonly created = new Map<string, Record<string, unknown>>();
  calls = 0;
  failuresLeft = 0;
  delayMs = 0;
  readonly resumedKeys: string[] = [];

  implementation(): NodeImplementation {
    return implement(createRecord, async (params, context) => {
      this.calls += 1;
      if (context.resumed) this.resumedKeys.push(context.idempotencyKey);
      if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
      if (this.failuresLeft > 0) {
        this.failuresLeft -= 1;
        throw new Error('the table is locked');
      }
      const existing = this.created.get(context.idempotencyKey);
      const record = existing ?? { ...params.values, table: params.table, sys_id: randomUUID().replaceAll('-', '') };
      this.created.set(context.idempotencyKey, record);
      return { kind: 'done', output: { record, sys_id: record.sys_id as string } };
    });
  }
}

export function testRunner(options: { store?: MemoryContextStore; effects?: RecordedEffects; versions?: RunnableSubflow[]; extra?: NodeImplementation[]; now?: () => number } = {}) {
  const store = options.store ?? new MemoryContextStore();
  const effects = options.effects ?? new RecordedEffects();
  const versions = options.versions ?? [];
  const runner = new FlowRunner({
    implementations: [...flowLogicImplementations, effects.implementation(), ...(options.extra ?? [])],
    store,
    loadVersion: async (id, version) => versions.find((candidate) => candidate.id === id && candidate.version === version) ?? null,
    newId: () => randomUUID().replaceAll('-', ''),
    now: options.now,
  });
  return { runner, store, effects };
}
