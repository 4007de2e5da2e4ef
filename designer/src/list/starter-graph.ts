import type { SubflowGraph, SubflowKind } from '@lockstep/schema';

/** A new subflow starts as Start → End, the smallest graph that validates. */
export function starterGraph(name: string, kind: SubflowKind): SubflowGraph {
  return {
    name,
    description: '',
    kind,
    inputs: [],
    outputs: [],
    timeLimitMs: 30_000,
    nodes: [
      { id: 'start', type: 'flow.start', label: 'Start', position: { x: 0, y: 0 }, params: {} },
      { id: 'end', type: 'flow.end', label: 'End', position: { x: 0, y: 160 }, params: { outputs: {} } },
    ],
    edges: [{ id: 'start-next', source: 'start', sourceHandle: 'next', target: 'end' }],
  };
}
