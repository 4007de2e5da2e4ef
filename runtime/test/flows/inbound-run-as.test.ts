import { afterAll, beforeAll, expect, it } from 'vitest';
import { edge, node } from '../../../test/support/subflow-parts.js';
import { describeOnEachStore } from '../support/runtime.js';
import { change, configureCaseInbound, eventually, queueItem, send } from '../sync/inbound-processor-setup.js';
import { activate, startPeerPair, type PeerSide } from '../sync/peer-pair.js';
import { answer, domainCaller, type DomainCaller } from './domain-callers.js';

const ACME = 'global/acme';
const GLOBEX = 'global/globex';

describeOnEachStore('who inbound flows run as', (variant) => {
  let a: PeerSide;
  let b: PeerSide;
  /** The provider's user that inbound flows from the consumer run as: an acme one. */
  let runner: DomainCaller;

  const settled = (id: string) => eventually(() => queueItem(b, id), (item) => item.status === 'processed' || item.status === 'error');
  const asAdmin = async (path: string) => (await answer(await b.runtime.call('GET', path), 200)).result;

  beforeAll(async () => {
    ({ a, b } = await startPeerPair(variant.settings));
    for (const side of [a, b]) await answer(await activate(side), 200);
    await configureCaseInbound(b);
    runner = await domainCaller(b.runtime, 'acme.inbound.runner', ACME, ['ih_process_sync_run_as', 'itil']);
    await answer(await b.runtime.call('PATCH', `/api/lockstep/v1/sync/remote-systems/${b.remoteSystemId}`, { body: { run_as_user: runner.sysId } }), 200);
  });
  afterAll(() => Promise.all([a?.runtime.dispose(), b?.runtime.dispose()]));

  it("runs as the user in Run inbound flows as, in that user's domain: what it makes lives there", async () => {
    const insert = change(a, b, 'INC0000101', 1, { short_description: 'Made for acme' });
    await send(b, insert);
    const item = await settled(insert.id);
    expect(item).toMatchObject({ status: 'processed', error_info: null });
    const context = await asAdmin(`/api/lockstep/v1/contexts/${item.transform_context}`);
    expect(context).toMatchObject({ sys_domain: ACME, run_as: { userId: runner.sysId, userName: 'acme.inbound.runner', domain: ACME } });
    const { local_record, sys_id } = context.steps.createCorrelation.output.correlation;
    expect(await asAdmin(`/api/now/table/case/${local_record}`)).toMatchObject({ short_description: 'Made for acme', sys_domain: ACME, sys_created_by: 'acme.inbound.runner' });
    expect(await asAdmin(`/api/lockstep/v1/sync/correlations/${sys_id}`)).toMatchObject({ sys_domain: ACME });
  });

  it("neither uses nor changes another domain's correlation of the sender's record, and applies nothing", async () => {
    // Globex's case, correlated with the consumer's INC0000202: acme's inbound flows may not touch either.
    const globex = await domainCaller(b.runtime, 'globex.agent', GLOBEX, ['ih_process_sync', 'itil']);
    const kase = (await answer(await b.runtime.call('POST', '/api/now/table/case', { body: { short_description: 'Globex case' }, auth: globex.auth }), 201)).result;
    const nodes = [node('start', 'flow.start'), node('correlate', 'sync.createCorrelation', { table: 'case', sys_id: kase.sys_id, remoteSystem: b.remoteSystemId, remoteCorrelationId: 'INC0000202' }), node('end', 'flow.end')];
    const graph = { name: 'Correlate for globex', kind: 'custom', nodes, edges: [edge('start', 'correlate'), edge('correlate', 'end')] };
    const draft = (await answer(await b.runtime.call('POST', '/api/lockstep/v1/subflows', { body: graph, auth: globex.auth }), 201)).result;
    const made = (await answer(await b.runtime.call('POST', `/api/lockstep/v1/subflows/${draft.id}/test-run`, { body: { inputs: {} }, auth: globex.auth }), 201)).result;
    const correlation = made.steps.correlate.output.correlation;
    const before = { kase: await asAdmin(`/api/now/table/case/${kase.sys_id}`), correlation: await asAdmin(`/api/lockstep/v1/sync/correlations/${correlation.sys_id}`) };

    const update = change(a, b, 'INC0000202', 1, { short_description: 'Taken over from acme' });
    await send(b, update);
    const item = await settled(update.id);
    expect(item).toMatchObject({ status: 'error', transform_context: null });
    expect(item.error_info).toContain(`(correlation ${correlation.sys_id}) in domain ${GLOBEX}, outside ${ACME}, the domain of acme.inbound.runner`);
    expect(await asAdmin(`/api/now/table/case/${kase.sys_id}`)).toEqual(before.kase);
    expect(await asAdmin(`/api/lockstep/v1/sync/correlations/${correlation.sys_id}`)).toEqual(before.correlation);
  });

  it('runs nothing as an inactive user, and says which user to activate or replace', async () => {
    await answer(await b.runtime.call('PATCH', `/api/lockstep/v1/users/${runner.sysId}`, { body: { active: false } }), 200);
    const insert = change(a, b, 'INC0000303', 1, { short_description: 'Nobody to apply it' });
    await send(b, insert);
    const item = await settled(insert.id);
    expect(item).toMatchObject({ status: 'error', transform_context: null });
    expect(item.error_info).toContain(`runs its flows as acme.inbound.runner (${runner.sysId}), which is inactive; activate it (PATCH /api/lockstep/v1/users/${runner.sysId})`);
  });
});
