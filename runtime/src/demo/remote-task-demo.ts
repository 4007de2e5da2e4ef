import type { DemoApi } from './api.js';
import { linkInstances } from './link.js';
import { activateWithTrigger, entitle, INCIDENT_STATE_RULE, publishNetworkIncident } from './network-incident.js';

const BASE = '/api/lockstep/v1/remote-tasks';
const SYNC = '/api/lockstep/v1/sync';
/** The second consumer is the provider's customer initech. */
export const INITECH_DOMAIN = 'global/initech';

/** A request's task states as the definition's case states (New, Open, Awaiting Info, Closed, Cancelled). */
const CASE_STATE_OF_REQUEST: Record<string, string> = { '1': '1', '2': '10', '-5': '18', '3': '3', '7': '7' };

/** True once the provider publishes remote task definitions. */
export async function hasRemoteTasks(provider: DemoApi): Promise<boolean> {
  const { body } = await provider.call('GET', `${BASE}/definitions`);
  return Array.isArray(body.result) && body.result.length > 0;
}

async function remoteSystemNamed(api: DemoApi, name: string): Promise<string> {
  const { body } = await api.call('GET', `${SYNC}/remote-systems`);
  const found = (body.result as { sys_id: string; name: string }[]).find((remote) => remote.name === name);
  if (!found) throw new Error(`${api.name} has no remote system "${name}"; delete the data directory and start again`);
  return found.sys_id;
}

/**
 * Remote Tasks in the demo: the provider publishes "Network incident" and
 * entitles it to both consumers. The first (acme, linked already) activates
 * it onto its requests, raised by hand with Create remote task; the second
 * (initech, linked here) onto its incidents, raised by a trigger on
 * priority 1 network incidents.
 */
export async function configureRemoteTasks(consumer: DemoApi, second: DemoApi, provider: DemoApi): Promise<void> {
  const linked = await linkInstances(
    { api: second, domain: 'global', peerName: 'provider' },
    { api: provider, domain: INITECH_DOMAIN, peerName: 'initech', userPrefix: 'initech.' },
    'Remote tasks',
  );
  const definition = await publishNetworkIncident(provider);
  await entitle(provider, definition, await remoteSystemNamed(provider, 'consumer instance'));
  await entitle(provider, definition, linked.b.remoteSystemId);
  await consumer.create(`${BASE}/activations`, {
    remote_system: await remoteSystemNamed(consumer, 'provider instance'),
    definition,
    table: 'sc_request',
    fields: [{ name: 'state', local_field: 'state', value_map: CASE_STATE_OF_REQUEST }],
  });
  await activateWithTrigger(second, linked.a.remoteSystemId, definition, [INCIDENT_STATE_RULE]);
}
