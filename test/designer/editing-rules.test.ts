import type { SubflowEdge, SubflowNode } from '@lockstep/schema';
import { describe, expect, it } from 'vitest';
import { autoLayout } from '../../designer/src/editor/auto-layout.js';
import { copySelection, pasteInto } from '../../designer/src/editor/clipboard.js';
import { connectionProblem } from '../../designer/src/editor/connection-rules.js';
import { flowEdge, freshNodeId, newStep, toFlowEdges, toFlowNodes, toSubflowParts } from '../../designer/src/editor/flow-graph.js';

const step = (id: string, type: string): SubflowNode => ({ id, type, label: '', position: { x: 0, y: 0 }, params: {} });
const edge = (source: string, target: string, sourceHandle: SubflowEdge['sourceHandle'] = 'next'): SubflowEdge => ({ id: `${source}-${sourceHandle}-${target}`, source, sourceHandle, target });

/** Start → loop(For each) → body(Log) and a Log and End hanging free. */
const nodes = toFlowNodes([step('start', 'flow.start'), step('loop', 'flow.forEach'), step('body', 'flow.log'), step('after', 'flow.log'), step('end', 'flow.end')]);
const edges = toFlowEdges([edge('start', 'loop'), edge('loop', 'body', 'each'), edge('body', 'after')]);
const connect = (source: string, sourceHandle: string, target: string) => connectionProblem({ source, sourceHandle, target, targetHandle: null }, nodes, edges);

describe('the editor’s connection rules', () => {
  it('allows an edge the engine accepts', () => {
    expect(connect('loop', 'done', 'end')).toBeNull();
  });

  it('refuses what the engine would refuse, saying why', () => {
    expect(connect('body', 'next', 'body')).toMatch(/itself/);
    expect(connect('body', 'next', 'start')).toMatch(/Start/);
    expect(connect('end', 'next', 'body')).toMatch(/no next port/);
    expect(connect('start', 'next', 'end')).toMatch(/already leads/);
    expect(connect('after', 'next', 'body')).toMatch(/loop/);
  });

  it('lets a For each’s body lead back to it', () => {
    expect(connect('after', 'next', 'loop')).toBeNull();
  });
});

describe('editing helpers', () => {
  it('names a new step after its type, with the type’s defaults', () => {
    expect(freshNodeId('flow.log', new Set(['log_1']))).toBe('log_2');
    expect(newStep('flow.log', 'log_2', { x: 1, y: 2 }).params).toEqual({ level: 'info' });
  });

  it('pastes copied steps under new ids with the edges between them', () => {
    const selected = nodes.map((node) => ({ ...node, selected: node.id === 'body' || node.id === 'after' }));
    expect(copySelection({ nodes: selected, edges })).toBe(2);
    const pasted = pasteInto({ nodes: selected, edges });
    const parts = toSubflowParts(pasted!);
    expect(parts.nodes.map((node) => node.id)).toEqual(['start', 'loop', 'body', 'after', 'end', 'log_1', 'log_2']);
    expect(parts.edges.at(-1)).toEqual({ id: 'log_1-next-log_2', source: 'log_1', sourceHandle: 'next', target: 'log_2' });
  });

  it('lays a graph out left to right, the For each before its body', async () => {
    const laidOut = await autoLayout({ nodes, edges: [...edges, flowEdge('after', 'next', 'loop'), flowEdge('loop', 'done', 'end')] });
    const x = (id: string) => laidOut.nodes.find((node) => node.id === id)!.position.x;
    expect(x('start')).toBeLessThan(x('loop'));
    expect(x('loop')).toBeLessThan(x('body'));
    expect(x('body')).toBeLessThan(x('after'));
  });
});
