import { beforeAll, describe, expect, it } from 'vitest';
import { activateWithTrigger, entitle, INCIDENT_STATE_RULE, NETWORK_INCIDENT, NETWORK_TRIGGER, publishNetworkIncident } from '../../runtime/src/demo/network-incident.js';
import { until } from '../../runtime/test/support/until.js';
import { link, useInstances, type Link } from './instances.js';
import { create, linkedBothWays, outboundItemsOf, remoteTasksOf, row, texts, update } from './reads.js';

const BASE = '/api/lockstep/v1/remote-tasks';

/*
 * Provider P publishes "Network incident" and entitles it to consumer C1
 * only; C2 is linked to P as well, but not entitled. The tests run in order,
 * each on what the one before left.
 */
describe('remote tasks between a provider and its consumers', () => {
  const instances = useInstances('remote-tasks', ['p', 'c1', 'c2'] as const);
  let c1p: Link;
  let c2p: Link;
  let definition: string;
  let activation: string;

  beforeAll(async () => {
    const { p, c1, c2 } = instances();
    [c1p, c2p] = await Promise.all([link(c1, p), link(c2, p)]);
    definition = await publishNetworkIncident(p.api);
    await entitle(p.api, definition, c1p.provider.remoteSystemId);
  }, 120_000);

  it("lists the definition in the entitled consumer's catalog only, and refuses the other's activation with 403", async () => {
    const { c1, c2 } = instances();
    const catalog = async (consumer: typeof c1, linked: Link) => (await consumer.api.call('GET', `${BASE}/catalog?remote_system=${linked.consumer.remoteSystemId}`)).body.result as { definition: string }[];
    expect((await catalog(c1, c1p)).map((entry) => entry.definition)).toEqual([definition]);
    expect(await catalog(c2, c2p)).toEqual([]);
    const refused = await c2.api.call('POST', `${BASE}/activations`, { remote_system: c2p.consumer.remoteSystemId, definition, table: 'incident' }, { expected: 403 });
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body.detail).toContain('has not entitled');
  });

  it('raises a remote task by trigger from a matching incident only, worked on P as a case linked both ways through remote_task', async () => {
    const { p, c1 } = instances();
    activation = await activateWithTrigger(c1.api, c1p.consumer.remoteSystemId, definition, [INCIDENT_STATE_RULE]);
    const quiet = await create(c1, 'incident', { short_description: 'Printer low on toner', priority: '1', category: 'hardware' });
    const incident = await create(c1, 'incident', { short_description: 'Core switch down', priority: '1', category: 'network', description: 'Building A is offline', impact: '1' });

    const { mine, theirs, kase } = await linkedBothWays(c1, p, incident.sys_id, definition);
    expect(kase).toMatchObject({ sys_class_name: 'case', short_description: 'Core switch down', sys_domain: 'global/c1' });
    expect(mine).toMatchObject({ parent: incident.sys_id, parent_table: 'incident', definition_revision: 1, remote_system: c1p.consumer.remoteSystemId, remote_sys_id: theirs.sys_id, state: '1' });
    expect(theirs).toMatchObject({ parent: kase.sys_id, parent_table: 'case', remote_task_definition: definition, definition_revision: 1, remote_system: c1p.provider.remoteSystemId, remote_number: mine.number, remote_sys_id: mine.sys_id });
    // The virtual category is shown on P's remote task, never stored on the case.
    expect(texts(theirs.work_notes).join()).toContain('Category: network');

    // Raised before the matching one, which went all the way to P and back since: nothing was queued for it, so none will be.
    expect(await outboundItemsOf(c1, quiet.sys_id)).toEqual([]);
    expect(await remoteTasksOf(c1, quiet.sys_id)).toEqual([]);
    // The generated capture definition takes the records with a remote task, and those the trigger holds for.
    const { generated } = (await c1.api.call('GET', `${BASE}/activations/${activation}`)).body.result;
    const capture = (await c1.api.call('GET', `/api/lockstep/v1/sync/capture-definitions/${generated.capture_definition}`)).body.result;
    expect(capture.filter.conditions).toEqual([{ field: 'remote_tasks', operator: 'contains', value: `${definition}:${c1p.consumer.remoteSystemId}` }, NETWORK_TRIGGER]);
  });

  it('keeps the field rules: Insert only with the task, Never never, and an inbound-only field never back', async () => {
    const { p, c1 } = instances();
    const incident = await create(c1, 'incident', { short_description: 'WAN latency', priority: '1', category: 'network', description: 'as raised', impact: '1' });
    const { kase } = await linkedBothWays(c1, p, incident.sys_id, definition);
    expect(kase).toMatchObject({ description: 'as raised', priority: '1', impact: '3' });

    await update(c1, 'incident', incident.sys_id, { description: 'changed later', short_description: 'WAN latency, all sites', impact: '2' });
    const changed = await until(async () => {
      const now = await row(p, 'case', kase.sys_id);
      return now.short_description === 'WAN latency, all sites' && now;
    }, 'the update reached the case');
    expect(changed).toMatchObject({ description: 'as raised', impact: '3' });

    await update(p, 'case', kase.sys_id, { priority: '4', state: '10', comments: 'Engineer on site' });
    const answered = await until(async () => {
      const now = await row(c1, 'incident', incident.sys_id);
      return texts(now.comments).includes('Engineer on site') && now;
    }, "P's comment reached the incident");
    expect(answered).toMatchObject({ priority: '1', state: '2' });
  });

  it('runs revision 1 on C1 until it upgrades, then raises new tasks on revision 2', async () => {
    const { p, c1 } = instances();
    const fields = NETWORK_INCIDENT.fields.map((field) => (field.name === 'description' ? { ...field, sync_when: 'insert_or_update' } : field));
    const edited = await p.api.call('PATCH', `${BASE}/definitions/${definition}`, { fields });
    expect(edited.body.result.revisions.map((revision: { status: string }) => revision.status)).toEqual(['published', 'draft']);
    await p.api.call('POST', `${BASE}/definitions/${definition}/publish`, undefined, { expected: 200 });

    const before = await create(c1, 'incident', { short_description: 'VPN flapping', priority: '1', category: 'network' });
    expect((await linkedBothWays(c1, p, before.sys_id, definition)).theirs.definition_revision).toBe(1);

    const upgraded = await c1.api.call('POST', `${BASE}/activations/${activation}/upgrade`, {}, { expected: 200 });
    expect(upgraded.body.result.revision).toBe(2);
    const after = await create(c1, 'incident', { short_description: 'DNS failures', priority: '1', category: 'network', description: 'v2' });
    const linked = await linkedBothWays(c1, p, after.sys_id, definition);
    expect([linked.mine.definition_revision, linked.theirs.definition_revision]).toEqual([2, 2]);
    // Revision 2 lets the description follow updates.
    await update(c1, 'incident', after.sys_id, { description: 'v2, updated' });
    await until(async () => (await row(p, 'case', linked.kase.sys_id)).description === 'v2, updated', 'the description update reached the revision 2 case');
    const definitionView = (await p.api.call('GET', `${BASE}/definitions/${definition}`)).body.result;
    expect(definitionView.activations).toEqual([expect.objectContaining({ remote_system: c1p.provider.remoteSystemId, revision: 2 })]);
  });

  it('refuses new remote tasks with a clear error once the definition is Inactive, and keeps the open ones syncing', async () => {
    const { p, c1 } = instances();
    const open = await create(c1, 'incident', { short_description: 'Firewall drops', priority: '1', category: 'network' });
    const { kase } = await linkedBothWays(c1, p, open.sys_id, definition);
    await p.api.call('POST', `${BASE}/definitions/${definition}/state`, { state: 'inactive' }, { expected: 200 });

    const later = await create(c1, 'incident', { short_description: 'Asked by hand', priority: '3', category: 'inquiry' });
    const refused = await c1.api.call('POST', BASE, { activation, sys_id: later.sys_id }, { expected: 409 });
    expect(refused.body.detail).toMatch(/"Network incident" is inactive: it takes no new remote tasks/);
    expect(await remoteTasksOf(c1, later.sys_id)).toEqual([]);

    const triggered = await create(c1, 'incident', { short_description: 'Raised by the trigger', priority: '1', category: 'network' });
    const [closed] = await until(async () => {
      const tasks = await remoteTasksOf(c1, triggered.sys_id);
      return tasks.length > 0 && tasks;
    }, 'the trigger recorded its refused remote task');
    expect(closed).toMatchObject({ state: '4', active: false });
    expect(texts(closed!.work_notes).join()).toContain('takes no new remote tasks');

    await update(c1, 'incident', open.sys_id, { comments: 'Still down here' });
    await until(async () => texts((await row(p, 'case', kase.sys_id)).comments).includes('Still down here'), 'the open task still syncs');
  });
});

