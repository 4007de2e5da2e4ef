import {
  captureDefinitionSchema,
  captureDefinitionUpdateSchema,
  flowLinkUpdateSchema,
  inboundFlowSchema,
  outboundFlowSchema,
  processEventSchema,
  processEventUpdateSchema,
  processSyncDefinitionSchema,
  processSyncDefinitionUpdateSchema,
  remoteSystemSchema,
  remoteSystemUpdateSchema,
  type FlowLink,
} from '@lockstep/schema';
import { roles } from '../../auth/roles.js';
import type { ProblemFinding } from '../../http/problem.js';
import type { ConfigRecords } from './config-records.js';
import { defineKind, touches } from './config-kind.js';
import { recordView, remoteSystemView } from './record-views.js';
import type { ReferenceChecks } from './reference-checks.js';
import { relatedToDefinition, usersOfProcessEvent, usersOfRemoteSystem } from './related-records.js';
import { guardRemoteSystemBody, mergeRemoteSystem } from './remote-system-input.js';
import { revalidateChangedConnection } from '../link/connection-change.js';
import type { LinkStates } from '../link/link-states.js';
import type { StoredFlowLink } from './stored-records.js';
import type { SyncConfigStore } from './sync-config-store.js';

/**
 * Runs groups of checks in turn and stops at the first that finds anything:
 * a process event cannot be matched against a definition that does not exist.
 */
async function firstFindings(...checks: (() => ProblemFinding[] | Promise<ProblemFinding[]>)[]): Promise<ProblemFinding[]> {
  for (const check of checks) {
    const findings = await check();
    if (findings.length > 0) return findings;
  }
  return [];
}

const keep = <Patch>(_current: unknown, patch: Patch): Patch => patch;
const nothingDepends = () => Promise.resolve({});

/** The six kinds of record the config API serves. */
export function configKinds(config: SyncConfigStore, checks: ReferenceChecks, states: LinkStates) {
  const definition = (record: { process_sync_definition: string; sys_domain: string }, changed: ReadonlySet<string>) =>
    touches(changed, 'process_sync_definition') ? checks.definition(record.process_sync_definition, record.sys_domain) : [];
  const processEvent = async (record: { process_event: string; process_sync_definition: string }, changed: ReadonlySet<string>) =>
    touches(changed, 'process_event') ? checks.processEvent(record.process_event, record.process_sync_definition) : [];

  function flowKind(path: string, label: string, records: ConfigRecords<FlowLink, StoredFlowLink>, subflowKind: 'outbound' | 'inbound') {
    return defineKind({
      path,
      label,
      records,
      createSchema: subflowKind === 'outbound' ? outboundFlowSchema : inboundFlowSchema,
      updateSchema: flowLinkUpdateSchema,
      inDefinition: true,
      merge: keep,
      check: (record, changed) =>
        firstFindings(
          () => definition(record, changed),
          async () => [
            ...(await processEvent(record, changed)),
            ...(touches(changed, 'remote_system') ? await checks.remoteSystem(record.remote_system, record.process_sync_definition) : []),
            ...(touches(changed, 'subflow') ? await checks.subflow('subflow', record.subflow, subflowKind, record.sys_domain) : []),
          ],
        ),
      dependents: nothingDepends,
      view: recordView,
      // One subflow sends a process event to a remote system, and one handles what it sends back: a second would run the change twice.
      duplicate: async (record: FlowLink) => {
        const [event, remote] = await Promise.all([config.processEvent(record.process_event), config.remoteSystem(record.remote_system)]);
        const named = (found: { name: string } | null, id: string) => (found ? `"${found.name}"` : id);
        return `remote system ${named(remote, record.remote_system)} already has an ${subflowKind} flow for process event ${named(event, record.process_event)}; edit that flow's subflow instead of adding another`;
      },
      taken: async (record: FlowLink, id: string | null) =>
        (await records.find({ process_event: record.process_event, remote_system: record.remote_system }, { limit: 2, offset: 0 })).some((other) => other._id !== id),
    });
  }

  return {
    definitions: defineKind({
      path: 'definitions',
      label: 'process sync definition',
      records: config.definitions,
      createSchema: processSyncDefinitionSchema,
      updateSchema: processSyncDefinitionUpdateSchema,
      inDefinition: false,
      merge: keep,
      check: () => Promise.resolve([]),
      dependents: (record) => relatedToDefinition(config, record._id),
      view: recordView,
    }),
    captureDefinitions: defineKind({
      path: 'capture-definitions',
      label: 'capture definition',
      records: config.captureDefinitions,
      createSchema: captureDefinitionSchema,
      updateSchema: captureDefinitionUpdateSchema,
      inDefinition: true,
      merge: keep,
      check: (record, changed) =>
        firstFindings(
          () => definition(record, changed),
          async () => [
            ...(await processEvent(record, changed)),
            ...(touches(changed, 'source_table', 'include_fields', 'filter') ? checks.captureFields(record.source_table, record.include_fields, record.filter) : []),
          ],
        ),
      dependents: nothingDepends,
      view: recordView,
    }),
    processEvents: defineKind({
      path: 'process-events',
      label: 'process event',
      records: config.processEvents,
      createSchema: processEventSchema,
      updateSchema: processEventUpdateSchema,
      inDefinition: true,
      merge: keep,
      check: (record, changed) => firstFindings(() => definition(record, changed)),
      dependents: (record) => usersOfProcessEvent(config, record._id),
      view: recordView,
      duplicate: (record) =>
        `process sync definition ${record.process_sync_definition} already has a process event named "${record.name}"; a name links the event to the remote instance's, so it must be unique within the definition: choose another name`,
    }),
    remoteSystems: defineKind({
      path: 'remote-systems',
      label: 'remote system',
      records: config.remoteSystems,
      createSchema: remoteSystemSchema,
      updateSchema: remoteSystemUpdateSchema,
      inDefinition: true,
      guard: guardRemoteSystemBody,
      merge: mergeRemoteSystem,
      check: (record, changed) =>
        firstFindings(
          () => definition(record, changed),
          async () => [
            ...(touches(changed, 'inbound_api_user') ? await checks.user('inbound_api_user', record.inbound_api_user, roles.processSyncApi, 'the inbound API user', record.sys_domain) : []),
            ...(touches(changed, 'run_as_user') ? await checks.user('run_as_user', record.run_as_user, roles.processSyncRunAs, 'the user inbound flows run as', record.sys_domain) : []),
            ...(touches(changed, 'error_subflow') && record.error_subflow !== null ? await checks.subflow('error_subflow', record.error_subflow, 'error', record.sys_domain) : []),
          ],
        ),
      dependents: (record) => usersOfRemoteSystem(config, record._id),
      view: remoteSystemView,
      updated: (before, after, actor) => revalidateChangedConnection(states, config, before, after, actor),
      duplicate: (record) => `process sync definition ${record.process_sync_definition} already has a remote system named "${record.name}"; choose another name`,
    }),
    outboundFlows: flowKind('outbound-flows', 'outbound flow', config.outboundFlows, 'outbound'),
    inboundFlows: flowKind('inbound-flows', 'inbound flow', config.inboundFlows, 'inbound'),
  };
}
