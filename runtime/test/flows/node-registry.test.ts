import { fileURLToPath } from 'node:url';
import { nodeCatalog, type NodeImplementation, type NodeRegistry } from '@lockstep/flow';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeRegistry } from '../../src/flows/node-registry.js';
import { startTestRuntime, type TestRuntime } from '../support/runtime.js';
import { edge, node } from '../../../test/support/subflow-parts.js';

/** Stands in for the implementations the runtime binds: one per catalog node, as a registry cast past the compiler would hold them. */
const everyNode = (): Record<string, NodeImplementation> =>
  Object.fromEntries(nodeCatalog.map((definition) => [definition.type, { definition, run: async () => ({ kind: 'done', output: {} }) }]));

describe('the node registry against the catalog', () => {
  it('binds one implementation for every catalog node', () => {
    expect(nodeRegistry(everyNode() as NodeRegistry).map((implementation) => implementation.definition.type)).toEqual(nodeCatalog.map((definition) => definition.type));
  });

  it('refuses, at start, a registry a catalog node is missing from, naming it', () => {
    const { 'sync.setRemoteSystemState': _removed, ...withoutOne } = everyNode();
    expect(() => nodeRegistry(withoutOne as NodeRegistry)).toThrow(/sync\.setRemoteSystemState has no implementation/);
  });

  it('refuses a node bound under another type, or one the catalog does not have', () => {
    const nodes = everyNode();
    expect(() => nodeRegistry({ ...nodes, 'flow.end': nodes['flow.start'] } as NodeRegistry)).toThrow(/flow\.end is bound to the implementation of flow\.start/);
    expect(() => nodeRegistry({ ...nodes, 'sync.gone': nodes['flow.start'] } as NodeRegistry)).toThrow(/sync\.gone is not in the node catalog/);
  });

  it('does not compile a registry that lacks a catalog node or binds one under another type', () => {
    // The compiler itself, on a file of registries it must refuse, each marked @ts-expect-error: one it accepts leaves an unused directive, an error.
    // It reads @lockstep/flow as any consumer does, built (npm test builds first): its declarations check in half the time of its sources.
    const file = fileURLToPath(new URL('./node-registry-types.ts', import.meta.url));
    const program = ts.createProgram([file], {
      target: ts.ScriptTarget.ES2023,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true,
      skipLibCheck: true,
      noEmit: true,
      types: [],
    });
    const checked = program.getSourceFile(file);
    const errors = [...program.getSyntacticDiagnostics(checked), ...program.getSemanticDiagnostics(checked)];
    expect(errors.map((error) => ts.flattenDiagnosticMessageText(error.messageText, '\n'))).toEqual([]);
  });
});

describe('the runtime binds every catalog node', () => {
  let runtime: TestRuntime;
  beforeAll(async () => {
    // Starting at all shows the registry complete: the flow engine refuses to start otherwise.
    runtime = await startTestRuntime();
  });
  afterAll(() => runtime.dispose());

  it('runs Set remote system state, which only a Validate and Activate makes active again', async () => {
    const SYNC = '/api/lockstep/v1/sync';
    const created = async (path: string, body: object) => {
      const response = await runtime.call('POST', `${SYNC}/${path}`, { body });
      expect(response.status, await response.clone().text()).toBe(201);
      return (await response.json()).result.sys_id as string;
    };
    const user = async (user_name: string, roles: string[]) => {
      const response = await runtime.call('POST', '/api/lockstep/v1/users', { body: { user_name, roles, password: 'a-long-enough-password' } });
      return (await response.json()).result.sys_id as string;
    };
    const definition = await created('definitions', { name: 'Remote state' });
    const remote = await created('remote-systems', {
      process_sync_definition: definition,
      name: 'Peer',
      connection: { base_url: 'https://peer.example.com', user_name: 'peer', password: 'peer-password', signing_secrets: ['s'.repeat(32)] },
      inbound_api_user: await user('state.api', ['ih_process_sync_api']),
      run_as_user: await user('state.run_as', ['ih_process_sync_run_as']),
    });
    const draft = await runtime.call('POST', '/api/lockstep/v1/subflows', {
      body: {
        name: 'Mark in error',
        kind: 'custom',
        inputs: [{ name: 'remoteSystem', type: 'string', required: true }],
        nodes: [node('start', 'flow.start'), node('mark', 'sync.setRemoteSystemState', { direction: 'outbound', state: 'error' }), node('end', 'flow.end')],
        edges: [edge('start', 'mark'), edge('mark', 'end')],
      },
    });
    const id = (await draft.json()).result.id;
    const run = await runtime.call('POST', `/api/lockstep/v1/subflows/${id}/test-run`, { body: { inputs: { remoteSystem: remote } } });
    const { result } = await run.json();
    expect(result.status, JSON.stringify(result.error)).toBe('completed');
    expect(result.steps.mark.output).toEqual({ state: 'error' });
    expect((await (await runtime.call('GET', `${SYNC}/remote-systems/${remote}`)).json()).result.outbound_state).toBe('error');
  });
});
