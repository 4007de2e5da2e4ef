import type { ProblemFinding } from '../../http/problem.js';
import type { StoredConfigRecord } from './stored-records.js';
import type {
  StoredCaptureDefinition,
  StoredFlowLink,
  StoredProcessEvent,
  StoredRemoteSystem,
  SyncConfigStore,
} from './sync-config-store.js';

/** A process sync definition's related lists, in the order the original's form shows them. */
export interface RelatedLists {
  capture_definitions: StoredCaptureDefinition[];
  process_events: StoredProcessEvent[];
  remote_systems: StoredRemoteSystem[];
  outbound_flows: StoredFlowLink[];
  inbound_flows: StoredFlowLink[];
}

export async function relatedToDefinition(config: SyncConfigStore, definitionId: string): Promise<RelatedLists> {
  const filter = { process_sync_definition: definitionId };
  const [capture_definitions, process_events, remote_systems, outbound_flows, inbound_flows] = await Promise.all([
    config.captureDefinitions.find(filter),
    config.processEvents.find(filter),
    config.remoteSystems.find(filter),
    config.outboundFlows.find(filter),
    config.inboundFlows.find(filter),
  ]);
  return { capture_definitions, process_events, remote_systems, outbound_flows, inbound_flows };
}

/** What would be left pointing at nothing if the process event went. */
export async function usersOfProcessEvent(config: SyncConfigStore, eventId: string): Promise<Partial<RelatedLists>> {
  const filter = { process_event: eventId };
  const [capture_definitions, outbound_flows, inbound_flows] = await Promise.all([
    config.captureDefinitions.find(filter),
    config.outboundFlows.find(filter),
    config.inboundFlows.find(filter),
  ]);
  return { capture_definitions, outbound_flows, inbound_flows };
}

/** What would be left pointing at nothing if the remote system went. */
export async function usersOfRemoteSystem(config: SyncConfigStore, systemId: string): Promise<Partial<RelatedLists>> {
  const filter = { remote_system: systemId };
  const [outbound_flows, inbound_flows] = await Promise.all([config.outboundFlows.find(filter), config.inboundFlows.find(filter)]);
  return { outbound_flows, inbound_flows };
}

function describe(record: StoredConfigRecord): string {
  if (typeof record.name === 'string') return `"${record.name}" (${record._id})`;
  if (typeof record.source_table === 'string') return `on ${record.source_table}, order ${String(record.order)} (${record._id})`;
  return `running subflow ${String(record.subflow)} (${record._id})`;
}

/** One finding per related record, under its list's name, for a 409 to list. */
export function relatedFindings(lists: Partial<RelatedLists>): ProblemFinding[] {
  return Object.entries(lists).flatMap(([list, records]: [string, StoredConfigRecord[]]) => records.map((record) => ({ path: list, message: describe(record) })));
}

/** "2 process events, 1 remote system": what the lists hold, for a problem's detail. */
export function relatedSummary(lists: Partial<RelatedLists>): string {
  return Object.entries(lists)
    .filter(([, records]) => records.length > 0)
    .map(([list, records]) => `${records.length} ${list.replaceAll('_', ' ').replace(/s$/, records.length === 1 ? '' : 's')}`)
    .join(', ');
}
