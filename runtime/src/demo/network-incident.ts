import type { DemoApi } from './api.js';
import { CASE_STATE_OF_INCIDENT } from './configure.js';

const BASE = '/api/lockstep/v1/remote-tasks';

/**
 * The provider's "Network incident" remote task definition, as the demo
 * publishes it. Directions are the provider's: inbound comes from the
 * consumer. What each field shows:
 * - short description, state and comments cross both ways, on every change;
 * - the description is sent with the task only (Insert), the priority only
 *   inbound, and the impact never;
 * - the consumer's work notes go to the provider's agents; the provider's
 *   stay with the provider;
 * - the category is virtual: it comes with the task, but a case has no
 *   category, so the provider shows it on the remote task and stores none.
 */
export const NETWORK_INCIDENT = {
  name: 'Network incident',
  description: 'A network outage or degradation raised by a customer; worked as a case by the network team.',
  target_table: 'case',
  fields: [
    { name: 'short_description', label: 'Short description', direction: 'both', sync_when: 'insert_or_update' },
    { name: 'description', label: 'Description', direction: 'inbound', sync_when: 'insert' },
    { name: 'priority', label: 'Priority', direction: 'inbound', sync_when: 'insert_or_update' },
    { name: 'impact', label: 'Impact', direction: 'inbound', sync_when: 'never' },
    { name: 'state', label: 'State', direction: 'both', sync_when: 'insert_or_update' },
    { name: 'comments', label: 'Additional comments', direction: 'both', sync_when: 'insert_or_update' },
    { name: 'work_notes', label: 'Work notes', direction: 'inbound', sync_when: 'insert_or_update' },
    { name: 'category', label: 'Category', direction: 'inbound', sync_when: 'insert', virtual: true },
  ],
};

/** The trigger both demo consumers put on it: what the issue asks for. */
export const NETWORK_TRIGGER = {
  match: 'all' as const,
  conditions: [
    { field: 'priority', operator: 'is' as const, value: '1' },
    { field: 'category', operator: 'is' as const, value: 'network' },
  ],
};

/** The consumer's incident states as the definition's (the provider's case states). */
export const INCIDENT_STATE_RULE = { name: 'state', local_field: 'state', value_map: CASE_STATE_OF_INCIDENT };

/** Creates the definition on the provider and publishes it; returns its sys_id. */
export async function publishNetworkIncident(provider: DemoApi): Promise<string> {
  const id = await provider.create(`${BASE}/definitions`, NETWORK_INCIDENT);
  await provider.call('POST', `${BASE}/definitions/${id}/publish`, undefined, { expected: 200 });
  return id;
}

export function entitle(provider: DemoApi, definition: string, consumerRemoteSystem: string): Promise<unknown> {
  return provider.call('POST', `${BASE}/definitions/${definition}/entitlements`, { remote_system: consumerRemoteSystem });
}

/** Activates the definition on the consumer onto `incident` with `fields` as its rules, adds the network trigger, and returns the activation's sys_id. */
export async function activateWithTrigger(consumer: DemoApi, providerRemoteSystem: string, definition: string, fields: unknown[]): Promise<string> {
  const activation = await consumer.create(`${BASE}/activations`, { remote_system: providerRemoteSystem, definition, table: 'incident', fields });
  await consumer.create(`${BASE}/triggers`, { name: 'Priority 1 network incidents', activation, condition: NETWORK_TRIGGER });
  return activation;
}
