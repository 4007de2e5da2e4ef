import type { PortName, SubflowEdge, SubflowGraph, SubflowNode, SubflowVariable } from '@lockstep/schema';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineNode } from '../src/node-definition.js';
import { validateSubflow, type ValidationFinding } from '../src/validation/index.js';

function node(id: string, type: string, params: Record<string, unknown> = {}, label = ''): SubflowNode {
  return { id, type, label, position: { x: 0, y: 0 }, params };
}

function edge(source: string, target: string, sourceHandle: PortName = 'next', id = `${source}-${sourceHandle}-${target}`): SubflowEdge {
  return { id, source, sourceHandle, target };
}

function output(name: string, required = false): SubflowVariable {
  return { name, label: '', type: 'any', required, description: '' };
}

function graph(nodes: SubflowNode[], edges: SubflowEdge[], outputs: SubflowVariable[] = []): SubflowGraph {
  return { name: 'Test', description: '', kind: 'custom', inputs: [], outputs, nodes, edges, timeLimitMs: 30_000 };
}

/** `code@node` (or `code@edge`, or just `code`) for each finding, in order. */
function where(findings: ValidationFinding[]): string[] {
  return findings.map((finding) => [finding.code, finding.nodeId ?? finding.edgeId].filter(Boolean).join('@'));
}

const start = node('start', 'flow.start');
const end = node('end', 'flow.end');
const log = (id: string, message = 'hello'): SubflowNode => node(id, 'flow.log', { message });

/** start → [middle…] → end, each by next. */
function line(...middle: SubflowNode[]): SubflowGraph {
  const nodes = [start, ...middle, end];
  return graph(
    nodes,
    nodes.slice(1).map((to, position) => edge(nodes[position]?.id ?? '', to.id)),
  );
}

describe('validateSubflow', () => {
  it('finds nothing wrong with a graph using if, a for-each loop and error ports', () => {
    const subflow = graph(
      [
        start,
        node('find', 'record.lookup', { table: 'incident', query: 'number={{ inputs.number }}' }),
        node('found', 'flow.if', { condition: { match: 'all', conditions: [{ field: 'steps.find.found', operator: 'is', value: true }] } }),
        node('loop', 'flow.forEach', { items: '{{ inputs.payload.comments }}' }),
        node('update', 'record.update', { table: 'incident', sys_id: '{{ steps.find.record.sys_id }}', values: { comments: '{{ steps.loop.item }}' } }),
        node('create', 'record.create', { table: 'incident', values: { short_description: '{{ inputs.payload.short_description }}' } }),
        node('fail', 'flow.raiseError', { message: 'lookup failed: {{ steps.find.error }}' }),
        node('done', 'flow.end', { outputs: { sys_id: '{{ steps.find.record.sys_id }}' } }),
      ],
      [
        edge('start', 'find'),
        edge('find', 'found'),
        edge('find', 'fail', 'error'),
        edge('found', 'loop', 'true'),
        edge('found', 'create', 'false'),
        edge('loop', 'update', 'each'),
        edge('update', 'loop'),
        edge('update', 'fail', 'error'),
        edge('loop', 'done', 'done'),
        edge('loop', 'fail', 'error'),
        edge('create', 'done'),
      ],
      [output('sys_id', true)],
    );
    expect(validateSubflow(subflow)).toEqual([]);
  });

  describe('Start', () => {
    it('is required', () => {
      const findings = validateSubflow(graph([log('a'), end], [edge('a', 'end')]));
      expect(where(findings)).toEqual(['missing-start']);
      expect(findings[0]?.message).toMatch(/no Start node; add one/);
    });

    it('is one only', () => {
      const second = node('start2', 'flow.start');
      const findings = validateSubflow(graph([start, second, end], [edge('start', 'end'), edge('start2', 'end')]));
      expect(where(findings)).toEqual(['multiple-starts@start2']);
      expect(findings[0]?.message).toBe('node "Start" (start2): a subflow has one Start node and "Start" (start) is already one; remove this one');
    });
  });

  describe('nodes', () => {
    it('have unique ids', () => {
      const subflow = line(log('a'), log('a'));
      expect(where(validateSubflow(subflow))).toContain('duplicate-node-id@a');
      expect(where(validateSubflow(line(log('a'), log('b'))))).toEqual([]);
    });

    it('have a known type', () => {
      const findings = validateSubflow(line(node('odd', 'flow.teleport', {}, 'Beam')));
      expect(where(findings)).toEqual(['unknown-node-type@odd']);
      expect(findings[0]?.message).toBe('node "Beam" (odd): there is no node type "flow.teleport"; replace the node with one from the palette');
    });

    it('are looked up with the lookup given', () => {
      const teleport = defineNode({
        type: 'flow.teleport',
        label: 'Teleport',
        category: 'Flow logic',
        description: 'Test only.',
        ports: ['next'],
        canFail: false,
        params: z.object({ to: z.string() }),
        outputs: z.object({}),
      });
      const findings = validateSubflow(line(node('odd', 'flow.teleport', { to: 'mars' })), (type) => (type === 'flow.teleport' ? teleport : undefined));
      // The lookup replaces the catalog, so Start and End are now the unknown ones.
      expect(where(findings)).toEqual(['unknown-node-type@start', 'unknown-node-type@end']);
    });
  });

  describe('edges', () => {
    it('have unique ids', () => {
      const subflow = graph([start, log('a'), end], [edge('start', 'a', 'next', 'e1'), edge('a', 'end', 'next', 'e1')]);
      expect(validateSubflow(subflow)).toEqual([
        expect.objectContaining({ severity: 'error', code: 'duplicate-edge-id', edgeId: 'e1', nodeId: 'a' }),
      ]);
    });

    it('connect existing nodes', () => {
      const subflow = graph([start, end], [edge('start', 'end'), edge('ghost', 'end', 'next', 'e9')]);
      const findings = validateSubflow(subflow);
      expect(findings).toEqual([expect.objectContaining({ code: 'edge-missing-node', edgeId: 'e9' })]);
      expect(findings[0]?.message).toBe('edge e9 (ghost → end): there is no node "ghost"; reconnect the edge or remove it');
    });

    it('leave by a port the node type has', () => {
      const send = node('send1', 'sync.sendPayload', { payload: '{{ inputs.payload }}' }, 'Send');
      const subflow = graph([start, send, end], [edge('start', 'send1'), edge('send1', 'end', 'true')]);
      const findings = validateSubflow(subflow).filter((finding) => finding.code === 'unknown-port');
      expect(findings).toEqual([expect.objectContaining({ severity: 'error', nodeId: 'send1', edgeId: 'send1-true-end' })]);
      expect(findings[0]?.message).toBe('node "Send" (send1): port "true" does not exist on Send captured payload; connect from "next" or "error"');
    });

    it('leave no node that cannot fail by an error port, with one message saying so', () => {
      const subflow = graph([start, log('a'), end], [edge('start', 'a'), edge('a', 'end'), edge('a', 'end', 'error')]);
      const findings = validateSubflow(subflow);
      expect(where(findings)).toEqual(['unknown-port@a']);
      expect(findings[0]?.message).toBe('node "Log" (a): Log cannot fail, so it has no "error" port; connect from "next"');
    });

    it('leave no End, which has no ports', () => {
      const subflow = graph([start, log('a'), end], [edge('start', 'end'), edge('end', 'a')]);
      expect(where(validateSubflow(subflow))).toContain('unknown-port@end');
    });

    it('lead from a port to one place only', () => {
      const subflow = graph([start, log('a'), log('b'), end], [edge('start', 'a'), edge('start', 'b'), edge('a', 'end'), edge('b', 'end')]);
      const findings = validateSubflow(subflow);
      expect(where(findings)).toEqual(['port-used-twice@start']);
      expect(findings[0]).toMatchObject({ edgeId: 'start-next-b' });
      expect(findings[0]?.message).toMatch(/port "next" already leads to "Log" \(a\) by edge start-next-a/);
    });

    it('do not lead into Start', () => {
      const subflow = graph([start, node('check', 'flow.if', { condition: { match: 'all', conditions: [] } }), end], [
        edge('start', 'check'),
        edge('check', 'end', 'true'),
        edge('check', 'start', 'false'),
      ]);
      expect(where(validateSubflow(subflow))).toEqual(['edge-into-start@check']);
    });

    it('do not loop from a node to itself', () => {
      const subflow = graph([start, log('a'), end], [edge('start', 'a'), edge('a', 'a'), edge('a', 'end', 'next', 'out')]);
      const findings = validateSubflow(subflow);
      expect(where(findings)).toEqual(['self-loop@a']);
      expect(findings[0]?.message).toMatch(/edge a-next-a leads from its "next" port back to itself; to repeat steps, put them in the each branch of a For each node$/);
    });
  });

  describe('reachability', () => {
    it('flags a node no path from Start leads to', () => {
      const subflow = graph([start, log('lonely'), end], [edge('start', 'end'), edge('lonely', 'end')]);
      const findings = validateSubflow(subflow);
      expect(where(findings)).toEqual(['unreachable-node@lonely']);
      expect(findings[0]?.message).toBe('node "Log" (lonely): no path from Start leads here, so it never runs; connect it or remove it');
    });

    it('requires an End reachable from Start', () => {
      expect(where(validateSubflow(graph([start, log('a')], [edge('start', 'a')])))).toEqual(['no-reachable-end']);
      const cutOff = validateSubflow(graph([start, log('a'), end], [edge('start', 'a')]));
      expect(where(cutOff)).toEqual(['no-reachable-end', 'unreachable-node@end']);
      expect(cutOff[0]?.message).toMatch(/no End node can be reached from Start/);
    });

    it('warns of a branch that stops without reaching an End', () => {
      const subflow = graph([start, node('check', 'flow.if', { condition: { match: 'all', conditions: [] } }), log('stray'), end], [
        edge('start', 'check'),
        edge('check', 'end', 'true'),
        edge('check', 'stray', 'false'),
      ]);
      expect(validateSubflow(subflow)).toEqual([expect.objectContaining({ severity: 'warning', code: 'dead-end', nodeId: 'stray' })]);
    });

    it('takes a branch that raises an error as finished', () => {
      const subflow = graph([start, node('find', 'record.lookup', { table: 'incident' }), node('fail', 'flow.raiseError', { message: 'no luck' }), end], [
        edge('start', 'find'),
        edge('find', 'end'),
        edge('find', 'fail', 'error'),
      ]);
      expect(validateSubflow(subflow)).toEqual([]);
    });
  });

  describe('loops', () => {
    it('are an error unless they pass through the each branch of a for-each, listing their steps in order', () => {
      const subflow = graph(
        [start, log('a'), log('b'), node('check', 'flow.if', { condition: { match: 'all', conditions: [] } }), end],
        [edge('start', 'a'), edge('a', 'b'), edge('b', 'check'), edge('check', 'a', 'true'), edge('check', 'end', 'false')],
      );
      const findings = validateSubflow(subflow);
      expect(where(findings)).toEqual(['illegal-cycle@a']);
      expect(findings[0]?.message).toMatch(/^the steps "Log" \(a\) → "Log" \(b\) → "If" \(check\) → "Log" \(a\) form a loop/);
    });

    it('are allowed back into a for-each from its each branch', () => {
      const subflow = graph([start, node('loop', 'flow.forEach', { items: [1, 2] }), log('a'), end], [
        edge('start', 'loop'),
        edge('loop', 'a', 'each'),
        edge('a', 'loop'),
        edge('loop', 'end', 'done'),
      ]);
      expect(validateSubflow(subflow)).toEqual([]);
    });

    it('are an error when they leave a for-each by its done port', () => {
      const subflow = graph([start, node('loop', 'flow.forEach', { items: [1, 2] }), log('a'), log('b'), end], [
        edge('start', 'loop'),
        edge('loop', 'a', 'each'),
        edge('a', 'loop'),
        edge('loop', 'b', 'done'),
        edge('b', 'loop'),
        edge('loop', 'end', 'error'),
      ]);
      const findings = validateSubflow(subflow);
      expect(where(findings)).toEqual(['illegal-cycle@loop']);
      expect(findings[0]?.message).toMatch(/"For each" \(loop\) → "Log" \(b\) → "For each" \(loop\)/);
    });
  });

  describe('for-each', () => {
    it('warns when the each branch never comes back', () => {
      const subflow = graph([start, node('loop', 'flow.forEach', { items: [1, 2] }, 'Comments'), log('a'), end], [
        edge('start', 'loop'),
        edge('loop', 'a', 'each'),
        edge('a', 'end'),
        edge('loop', 'end', 'done'),
      ]);
      const findings = validateSubflow(subflow);
      expect(where(findings)).toEqual(['for-each-no-return@loop']);
      expect(findings[0]).toMatchObject({ severity: 'warning' });
      expect(findings[0]?.message).toBe(
        'the each branch of "Comments" (loop) never comes back to "Comments" (loop), so only the first item runs; connect the last step of the branch back to "Comments" (loop)',
      );
    });

    it('warns when the each port is not connected', () => {
      const subflow = graph([start, node('loop', 'flow.forEach', { items: [1, 2] }), end], [edge('start', 'loop'), edge('loop', 'end', 'done')]);
      expect(validateSubflow(subflow)).toEqual([expect.objectContaining({ severity: 'warning', code: 'for-each-no-return', nodeId: 'loop' })]);
    });
  });

  describe('params', () => {
    it('are checked against the node type, naming the param path', () => {
      const findings = validateSubflow(line(node('send', 'notify.send', { message: 'hi', channels: [{ type: 'webhook', url: 'ftp://example.com' }] })));
      expect(findings).toEqual([expect.objectContaining({ severity: 'error', code: 'invalid-param', nodeId: 'send', path: 'channels.0.url' })]);
      expect(findings[0]?.message).toMatch(/^node "Send notification" \(send\): param channels\.0\.url: .+; correct the value or use a data pill$/);
    });

    it('report a rule over the whole params without a path', () => {
      const findings = validateSubflow(line(node('pause', 'flow.wait', {})));
      expect(findings).toEqual([expect.objectContaining({ code: 'invalid-param', nodeId: 'pause' })]);
      expect(findings[0]?.path).toBeUndefined();
      expect(findings[0]?.message).toBe('node "Wait" (pause): params: give either seconds or until; correct the value or use a data pill');
    });

    it('accept a data pill where the type wants a number', () => {
      expect(validateSubflow(line(node('pause', 'flow.wait', { seconds: '{{ vars.delay }}' })))).toEqual([]);
    });

    it('accept a data pill for a whole object or list', () => {
      expect(validateSubflow(line(node('create', 'record.create', { table: 'incident', values: '{{ inputs.values }}' })))).toEqual([]);
    });

    it('report a malformed data pill with its path', () => {
      const findings = validateSubflow(line(node('create', 'record.create', { table: 'incident', values: { short_description: 'About {{ inputs.payload. }}' } })));
      expect(findings).toEqual([expect.objectContaining({ severity: 'error', code: 'invalid-pill', nodeId: 'create', path: 'values.short_description' })]);
      expect(findings[0]?.message).toMatch(/^node "Create record" \(create\): the data pill \{\{ inputs\.payload\. \}\} in values\.short_description does not parse: .+; correct the expression$/);
    });

    it('report a regular expression RE2 cannot run, naming the node and the param', () => {
      const findings = validateSubflow(line(node('say', 'flow.log', { message: 'Twice: {{ $match(inputs.text, /(a+)\\1/) }}' })));
      expect(findings).toEqual([expect.objectContaining({ severity: 'error', code: 'unsupported-regex', nodeId: 'say', path: 'message' })]);
      expect(findings[0]?.message).toMatch(
        /^node "Log" \(say\): the data pill \{\{ .+ \}\} in message uses the regular expression \/\(a\+\)\\1\/, which the linear-time \(RE2\) engine cannot run: .+; rewrite it without back-references or look-arounds$/,
      );
    });

    it('accept regular expressions RE2 runs, wherever they sit in the expression', () => {
      const pill = '{{ $map(inputs.lines, function($l) { $replace($l, /^\\s*(\\w+)\\b/i, "$1") }) }}';
      expect(validateSubflow(line(node('say', 'flow.log', { message: pill })))).toEqual([]);
    });

    it('report an empty data pill', () => {
      expect(validateSubflow(line(node('say', 'flow.log', { message: 'x {{ }}' })))).toEqual([expect.objectContaining({ code: 'invalid-pill', path: 'message' })]);
    });
  });

  describe('End outputs', () => {
    const ending = (outputs: Record<string, unknown>, declared: SubflowVariable[]): SubflowGraph =>
      graph([start, node('end', 'flow.end', { outputs })], [edge('start', 'end')], declared);

    it('are declared by the subflow', () => {
      const findings = validateSubflow(ending({ sys_id: 'x', extra: 1 }, [output('sys_id')]));
      expect(findings).toEqual([expect.objectContaining({ severity: 'error', code: 'undeclared-output', nodeId: 'end', path: 'outputs.extra' })]);
      expect(findings[0]?.message).toBe('node "End" (end): "extra" is not an output of the subflow; declare it in the subflow\'s outputs or remove it here');
    });

    it('include every required one', () => {
      const findings = validateSubflow(ending({}, [output('sys_id', true), output('note')]));
      expect(findings).toEqual([expect.objectContaining({ severity: 'error', code: 'missing-output', nodeId: 'end', path: 'outputs.sys_id' })]);
      expect(validateSubflow(ending({ sys_id: '{{ steps.create.sys_id }}' }, [output('sys_id', true), output('note')]))).toEqual([]);
    });
  });

  it('lists findings in node order, then by code', () => {
    const subflow = graph(
      [start, node('b', 'flow.wait', {}), node('a', 'flow.teleport'), log('c'), end],
      [edge('start', 'b'), edge('b', 'a'), edge('b', 'end', 'error'), edge('a', 'end')],
    );
    expect(where(validateSubflow(subflow))).toEqual(['invalid-param@b', 'unknown-port@b', 'unknown-node-type@a', 'unreachable-node@c']);
  });
});
