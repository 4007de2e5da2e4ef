import type { PortName, SubflowGraph, SubflowNode } from '@lockstep/schema';
import { LRUCache } from 'lru-cache';
import { assign, setup, type AnyStateMachine } from 'xstate';
import { findPills } from '../expressions/pills.js';
import type { AnyNodeDefinition } from '../node-definition.js';
import type { RunState, StepEvent } from './run-state.js';

/** The machine's final states, and the state names of nodes (node ids cannot contain the `.` XState reserves). */
export const COMPLETED = 'completed';
export const FAILED = 'failed';
export const NODE_PREFIX = 'node_';
export const nodeState = (nodeId: string): string => `${NODE_PREFIX}${nodeId}`;
export const waitingState = (nodeId: string): string => `waiting_${nodeId}`;

export interface CompiledFlow {
  machine: AnyStateMachine;
  graph: SubflowGraph;
  nodes: ReadonlyMap<string, SubflowNode>;
  /** Nodes whose params hold data pills, so must be resolved for every execution. */
  dynamicNodes: ReadonlySet<string>;
  /** The checked params of nodes without pills, worked out on first use: they are the same every time. */
  staticParams: Map<string, unknown>;
}

/** The runner sends one STEP event per executed node, carrying how the step ended. */
export type StepDone = { type: 'STEP'; output: StepEvent };
export type FlowEvent = StepDone | { type: 'RESUME' };

/**
 * Turns a graph into an XState v5 machine: one state per node, left on the
 * STEP event by the port the step took, a waiting state per node for durable
 * waits and retries (left on RESUME), and two final states. A port with no
 * edge ends the run. The runner executes the node of the current state and
 * sends the outcome as the event; with no invoked actors there is nothing
 * in flight to restore, and a run goes on from any node by entering its
 * waiting state.
 */
export function compileSubflow(graph: SubflowGraph, definitionOf: (type: string) => AnyNodeDefinition | undefined): CompiledFlow {
  const start = graph.nodes.find((node) => node.type === 'flow.start');
  if (!start) throw new Error(`subflow "${graph.name}" has no Start node; validate it before running it`);
  const edges = new Map<string, string>(graph.edges.map((edge) => [`${edge.source}/${edge.sourceHandle}`, edge.target]));
  const target = (nodeId: string, port: PortName): string => {
    const next = edges.get(`${nodeId}/${port}`);
    return next === undefined ? COMPLETED : nodeState(next);
  };

  const states: Record<string, object> = {};
  for (const node of graph.nodes) {
    const definition = definitionOf(node.type);
    const ports = definition?.ports ?? [];
    const isEnd = node.type === 'flow.end';
    const done = (port: PortName) => ({
      guard: ({ event }: { event: StepDone }) => event.output.kind === 'done' && (event.output.port ?? ports[0]) === port,
      target: target(node.id, port),
      actions: recordDone(node.id),
    });
    const failed = (fatal: boolean) => ({
      target: !fatal && edges.has(`${node.id}/error`) ? target(node.id, 'error') : FAILED,
      actions: recordFailure(node.id),
    });
    states[nodeState(node.id)] = {
      on: {
        STEP: [
          ...(isEnd ? [{ guard: ({ event }: { event: StepDone }) => event.output.kind === 'done', target: COMPLETED, actions: [recordDone(node.id), recordOutputs] }] : ports.map(done)),
          { guard: ({ event }: { event: StepDone }) => event.output.kind === 'suspend', target: waitingState(node.id), actions: recordSuspension(node.id) },
          { guard: ({ event }: { event: StepDone }) => event.output.kind === 'failed' && event.output.fatal, ...failed(true) },
          { guard: ({ event }: { event: StepDone }) => event.output.kind === 'failed', ...failed(false) },
        ],
      },
    };
    states[waitingState(node.id)] = { on: { RESUME: nodeState(node.id) } };
  }
  states[COMPLETED] = { type: 'final' };
  states[FAILED] = { type: 'final' };

  const machine = setup({
    types: {} as { context: RunState; input: RunState; events: FlowEvent },
  }).createMachine({
    id: 'subflow',
    context: ({ input }) => input,
    initial: nodeState(start.id),
    states: states as never,
  });
  // The states are generated, so their names cannot be typed statically; the runner only needs the general machine type.
  return {
    machine: machine as unknown as AnyStateMachine,
    graph,
    nodes: new Map(graph.nodes.map((node) => [node.id, node])),
    dynamicNodes: new Set(graph.nodes.filter((node) => findPills(node.params).length > 0).map((node) => node.id)),
    staticParams: new Map(),
  };
}

function recordDone(nodeId: string) {
  return assign(({ context, event }: { context: RunState; event: StepDone }) => {
    const result = event.output;
    if (result.kind !== 'done') return {};
    return {
      data: {
        ...context.data,
        steps: { ...context.data.steps, [nodeId]: result.output },
        vars: result.variables ? { ...context.data.vars, ...result.variables } : context.data.vars,
      },
      memory: 'memory' in result ? withKey(context.memory, nodeId, result.memory) : context.memory,
      executions: { ...context.executions, [nodeId]: (context.executions[nodeId] ?? 0) + 1 },
      attempts: nodeId in context.attempts ? withKey(context.attempts, nodeId, null) : context.attempts,
    };
  });
}

const recordOutputs = assign(({ event }: { event: StepDone }) => {
  const result = event.output;
  return result.kind === 'done' ? { outputs: (result.output as { outputs: Record<string, unknown> }).outputs } : {};
});

function recordSuspension(nodeId: string) {
  return assign(({ context, event }: { context: RunState; event: StepDone }) => {
    const result = event.output;
    if (result.kind !== 'suspend') return {};
    return {
      memory: 'memory' in result ? withKey(context.memory, nodeId, result.memory) : context.memory,
      attempts: result.attempt === undefined ? context.attempts : { ...context.attempts, [nodeId]: result.attempt },
    };
  });
}

/** A failure taken by an error branch is visible to later nodes as `steps.<node>.error`. */
function recordFailure(nodeId: string) {
  return assign(({ context, event }: { context: RunState; event: StepDone }) => {
    const result = event.output;
    if (result.kind !== 'failed') return {};
    return {
      data: { ...context.data, steps: { ...context.data.steps, [nodeId]: { error: { message: result.message, code: result.code } } } },
      executions: { ...context.executions, [nodeId]: (context.executions[nodeId] ?? 0) + 1 },
      attempts: withKey(context.attempts, nodeId, null),
      failure: { message: result.message, nodeId, code: result.code },
    };
  });
}

/** A copy with `key` set, or removed when the value is null or undefined. */
function withKey(record: Record<string, unknown>, key: string, value: unknown): Record<string, never> {
  const copy: Record<string, unknown> = { ...record };
  if (value === null || value === undefined) delete copy[key];
  else copy[key] = value;
  return copy as Record<string, never>;
}

/**
 * Compiling is cached per subflow and version, so a busy flow compiles once;
 * draft test runs use a key that changes with every save.
 */
export class CompiledFlowCache {
  private readonly cache = new LRUCache<string, CompiledFlow>({ max: 500 });

  constructor(private readonly definitionOf: (type: string) => AnyNodeDefinition | undefined) {}

  get(key: string, graph: SubflowGraph): CompiledFlow {
    let compiled = this.cache.get(key);
    if (!compiled) {
      compiled = compileSubflow(graph, this.definitionOf);
      this.cache.set(key, compiled);
    }
    return compiled;
  }
}
