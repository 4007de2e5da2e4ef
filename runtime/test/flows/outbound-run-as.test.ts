import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ADMIN, basic, describeOnEachStore, startTestRuntime, type TestRuntime } from '../support/runtime.js';
import { until } from '../support/until.js';
import { answer, domainCaller } from './domain-callers.js';

const SYNC = '/api/lockstep/v1/sync';
const ACME = 'global/acme';
type Item = { sys_id: string; status: string; error_info: string | null; flow_context: string | null; sys_domain: string };

describeOnEachStore('who outbound flows run as', (variant) => {
  let runtime: TestRuntime;
  let outboundSubflow: string;
  /** The peer's login here, for the global integrations. */
  let apiUser: string;

  const create = async (kind: string, body: Record<string, unknown>) => (await answer(await runtime.call('POST', `${SYNC}/${kind}`, { body }), 201)).result.sys_id as string;

  /** A definition in `domain` capturing incidents to one remote system, sent as `runAsUser`; the peer is a closed port. */
  async function integration(domain: string, runAsUser: string, inboundApiUser = apiUser): Promise<string> {
    const definition = await create('definitions', { name: `Run as ${Math.random()}`, sys_domain: domain });
    const event = await create('process-events', { process_sync_definition: definition, name: 'Incident to case' });
    const remote = await create('remote-systems', {
      process_sync_definition: definition,
      name: `Provider of ${domain}`,
      external_id: randomBytes(16).toString('hex'),
      connection: { base_url: 'http://127.0.0.1:9', user_name: 'consumer.api', password: 'secret', signing_secrets: ['s'.repeat(40)] },
      inbound_api_user: inboundApiUser,
      run_as_user: runAsUser,
    });
    await create('outbound-flows', { process_sync_definition: definition, process_event: event, remote_system: remote, subflow: outboundSubflow });
    await create('capture-definitions', { process_sync_definition: definition, process_event: event, state: 'active', source_table: 'incident', include_fields: ['short_description'] });
    // Stands in for Validate and Activate, whose handshake needs a live peer.
    await runtime.store.collection('sync_remote_system').updateOne({ _id: remote }, { $set: { outbound_state: 'active' } });
    return remote;
  }

  /** The remote system's one queue item, once the dispatcher has tried it. */
  async function triedItem(remote: string): Promise<Item> {
    return until(async () => {
      const [item] = (await answer(await runtime.call('GET', `${SYNC}/outbound-queue?remote_system=${remote}`), 200)).result as Item[];
      return item && (item.status === 'error' || item.flow_context !== null) ? item : undefined;
    }, `the dispatcher tried the item to ${remote}`);
  }

  beforeAll(async () => {
    runtime = await startTestRuntime({ ...variant.settings(), 'outbound-retry-delay-ms': '20' });
    apiUser = (await domainCaller(runtime, 'peer.api', 'global', ['ih_process_sync_api'])).sysId;
    const copied = await runtime.call('POST', '/api/lockstep/v1/subflows/outbound-basic/copy', { body: {} });
    outboundSubflow = (await answer(copied, 201)).result.id;
    const headers = { authorization: basic(ADMIN.user, ADMIN.password), 'if-match': copied.headers.get('etag') ?? '' };
    await answer(await fetch(`${runtime.url}/api/lockstep/v1/subflows/${outboundSubflow}/publish`, { method: 'POST', headers }), 201);
  });
  afterAll(() => runtime.dispose());

  it("runs the outbound subflow as the remote system's run-as user, with its roles, in the queued record's domain", async () => {
    const runner = await domainCaller(runtime, 'acme.sync.runner', ACME, ['ih_process_sync_run_as', 'itil']);
    const agent = await domainCaller(runtime, 'acme.agent', ACME, ['itil']);
    const peer = await domainCaller(runtime, 'acme.peer.api', ACME, ['ih_process_sync_api']);
    const remote = await integration(ACME, runner.sysId, peer.sysId);
    await answer(await runtime.call('POST', '/api/now/table/incident', { body: { short_description: 'Acme mail is down' }, auth: agent.auth }), 201);
    const item = await triedItem(remote);
    expect(item.sys_domain).toBe(ACME);
    const context = (await answer(await runtime.call('GET', `/api/lockstep/v1/contexts/${item.flow_context}`), 200)).result;
    expect(context).toMatchObject({ sys_domain: ACME, run_as: { userId: runner.sysId, userName: 'acme.sync.runner', roles: ['ih_process_sync_run_as', 'itil'], domain: ACME } });
    // Its roles suffice for the template's steps; only the closed port stops the send.
    expect(context.steps.lookupCorrelation).toMatchObject({ status: 'done' });
    expect(context.steps.sendPayload).toMatchObject({ status: 'failed', error_code: 'peer_unavailable' });
  });

  it('puts the item in error, naming the user and what to do, when the run-as user is inactive', async () => {
    const runner = await domainCaller(runtime, 'idle.runner', 'global', ['ih_process_sync_run_as', 'itil']);
    const remote = await integration('global', runner.sysId);
    await answer(await runtime.call('PATCH', `/api/lockstep/v1/users/${runner.sysId}`, { body: { active: false } }), 200);
    await answer(await runtime.call('POST', '/api/now/table/incident', { body: { short_description: 'Nobody to send it' } }), 201);
    const item = await triedItem(remote);
    expect(item).toMatchObject({ status: 'error', flow_context: null });
    expect(item.error_info).toContain(`runs its flows as idle.runner (${runner.sysId}), which is inactive; activate it (PATCH /api/lockstep/v1/users/${runner.sysId})`);
    expect(item.error_info).toContain(`as its run_as_user (PATCH ${SYNC}/remote-systems/${remote}), then retry the item`);
  });

  it("puts the item in error when the run-as user's domain does not include the record's", async () => {
    const runner = await domainCaller(runtime, 'narrow.runner', ACME, ['ih_process_sync_run_as', 'itil']);
    const remote = await integration('global', runner.sysId);
    await answer(await runtime.call('POST', '/api/now/table/incident', { body: { short_description: 'Above the runner' } }), 201);
    const item = await triedItem(remote);
    expect(item).toMatchObject({ status: 'error', flow_context: null, sys_domain: 'global' });
    expect(item.error_info).toContain(`runs its flows as narrow.runner (${runner.sysId}), whose domain ${ACME} does not include global, where this run works`);
    expect(item.error_info).toContain('choose an active user of domain global or above it');
  });
});
