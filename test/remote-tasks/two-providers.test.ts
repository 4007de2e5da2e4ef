import { beforeAll, describe, expect, it } from 'vitest';
import { entitle, INCIDENT_STATE_RULE, publishNetworkIncident } from '../../runtime/src/demo/network-incident.js';
import { until } from '../../runtime/test/support/until.js';
import { link, useInstances, type Instance } from './instances.js';
import { create, linkedBothWays, row, texts, update } from './reads.js';

const BASE = '/api/lockstep/v1/remote-tasks';

/** The provider's definition, entitled to C1 and activated there: the activation's sys_id and the definition's. */
async function providerFor(consumer: Instance, provider: Instance) {
  const linked = await link(consumer, provider);
  const definition = await publishNetworkIncident(provider.api);
  await entitle(provider.api, definition, linked.provider.remoteSystemId);
  const activation = await consumer.api.create(`${BASE}/activations`, { remote_system: linked.consumer.remoteSystemId, definition, table: 'incident', fields: [INCIDENT_STATE_RULE] });
  return { definition, activation };
}

describe('one incident sent to two providers', () => {
  const instances = useInstances('remote-tasks-two-providers', ['c1', 'p', 'p2'] as const);
  let viaP: { definition: string; activation: string };
  let viaP2: { definition: string; activation: string };

  beforeAll(async () => {
    const { c1, p, p2 } = instances();
    [viaP, viaP2] = await Promise.all([providerFor(c1, p), providerFor(c1, p2)]);
  }, 120_000);

  it("reaches both, and each one's updates come back to the same incident without echo", async () => {
    const { c1, p, p2 } = instances();
    const incident = await create(c1, 'incident', { short_description: 'Campus network down', priority: '2', category: 'network' });
    await c1.api.call('POST', BASE, { activation: viaP.activation, sys_id: incident.sys_id });
    await c1.api.call('POST', BASE, { activation: viaP2.activation, sys_id: incident.sys_id });
    const [atP, atP2] = await Promise.all([linkedBothWays(c1, p, incident.sys_id, viaP.definition), linkedBothWays(c1, p2, incident.sys_id, viaP2.definition)]);
    expect([atP.kase.short_description, atP2.kase.short_description]).toEqual(['Campus network down', 'Campus network down']);
    expect(atP.mine.sys_id).not.toBe(atP2.mine.sys_id);

    await update(p, 'case', atP.kase.sys_id, { comments: 'P: replacing the router' });
    await update(p2, 'case', atP2.kase.sys_id, { comments: 'P2: checking the uplink' });
    const both = await until(async () => {
      const now = await row(c1, 'incident', incident.sys_id);
      const said = texts(now.comments);
      return said.includes('P: replacing the router') && said.includes('P2: checking the uplink') && said;
    }, "both providers' comments reached the incident");
    expect(both.filter((text) => text.startsWith('P:'))).toHaveLength(1);
    expect(both.filter((text) => text.startsWith('P2:'))).toHaveLength(1);

    // A comment from the consumer then reaches both; neither provider gets its own comment back.
    await update(c1, 'incident', incident.sys_id, { comments: 'Thanks, both of you' });
    for (const [provider, kase] of [[p, atP.kase], [p2, atP2.kase]] as const) {
      const said = await until(async () => {
        const now = texts((await row(provider, 'case', kase.sys_id)).comments);
        return now.includes('Thanks, both of you') && now;
      }, `the consumer's comment reached ${provider.name}`);
      const own = provider === p ? 'P: replacing the router' : 'P2: checking the uplink';
      expect(said.filter((text) => text === own), `${provider.name} has its own comment once`).toHaveLength(1);
    }
  });
});
