import { flowLogicImplementations, nodeCatalog, type NodeImplementation } from '@lockstep/flow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeRegistry } from '../../src/flows/node-registry.js';
import { startTestRuntime, type TestRuntime } from '../support/runtime.js';
import { edge, node } from '../../../test/support/subflow-parts.js';

/** Stands in for the implementations the runtime binds: one per catalog node. */
const everyNode = (): NodeImplementation[] => nodeCatalog.map((definition) => ({ definition, run: async () => ({ kind: 'done', output: {} }) }));

describe('the node registry against the catalog', () => {
  it('takes one implementation for every catalog node', () => {
    expect(nodeRegistry(everyNode()).map((implementation) => implementation.definition.type)).toEqual(nodeCatalog.map((definition) => definition.type));
  });

  it('refuses a registry a catalog node is missing from, naming it', () => {
    const withoutOne = everyNode().filter((implementation) => implementation.definition.type !== 'sync.setRemoteSystemState');
    expect(() => nodeRegistry(withoutOne)).toThrow(/sync\.setRemoteSystemState has no implementation/);
  });

  it('refuses a node bound twice', () => {
    expect(() => nodeRegistry([...everyNode(), ...flowLogicImplementations.slice(0, 1)])).toThrow(/implemented more than once/);
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
