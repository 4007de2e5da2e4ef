import {
  remoteTaskCatalogRequestSchema,
  remoteTaskRevisionRequestSchema,
  type RemoteTaskCatalogEntry,
  type RemoteTaskRevision,
} from '@lockstep/schema';
import { Router, type Request } from 'express';
import type { SubflowStore } from '../flows/subflow-store.js';
import { parseBody } from '../http/parse.js';
import { notFound, ProblemError } from '../http/problem.js';
import { nowDateTime } from '../time.js';
import type { StoredRemoteSystem, SyncConfigStore } from '../sync/config/sync-config-store.js';
import { requirePairedRemote, requirePeerApiRole, requireSignedFor } from '../sync/peer/peer-caller.js';
import { activatableRevision, admissionProblem } from './definition-lifecycle.js';
import { publishedRevision, type RemoteTaskDefinitions, type StoredRemoteTaskDefinition } from './definition-store.js';
import { providerRules } from './field-rules.js';
import { captureFilter } from './capture-filter.js';
import { ensureSyncConfig } from './generated-config.js';

export interface ProviderPeerServices {
  instanceName: string;
  definitions: RemoteTaskDefinitions;
  syncConfig: SyncConfigStore;
  subflows: SubflowStore;
}

/** Archived and retired definitions leave the catalog; drafts were never in it. */
const LISTED = new Set(['published', 'inactive']);

function entry(definition: StoredRemoteTaskDefinition, revision: RemoteTaskRevision): RemoteTaskCatalogEntry {
  const { revision: number, status: _status, published_on: _on, ...content } = revision;
  return { ...content, definition: definition._id, state: definition.state, process_event: definition.process_event, revision: number };
}

/**
 * What consumers ask a provider about remote tasks, as peer calls (signed,
 * by the consumer's inbound API user here, under /api/sync/v1/remote-tasks):
 * the catalog of what is entitled to them, a revision to activate, and
 * whether a new task is taken. A definition not entitled to the caller is
 * 403, whether or not it exists.
 */
export function providerPeerRoutes({ instanceName, definitions, syncConfig, subflows }: ProviderPeerServices): Router {
  const router = Router();

  async function consumer(req: Request, pair: { remote_system: string; source_remote_system: string; instance: string }): Promise<StoredRemoteSystem> {
    const caller = requirePeerApiRole(req);
    const remote = await syncConfig.remoteSystem(pair.remote_system);
    if (remote) requireSignedFor(req, remote);
    return requirePairedRemote(syncConfig, instanceName, caller, pair);
  }

  async function entitled(remote: StoredRemoteSystem, id: string): Promise<StoredRemoteTaskDefinition> {
    const definition = await definitions.get(id);
    if (!definition?.entitlements.includes(remote._id)) {
      throw new ProblemError(403, 'not-entitled', 'Forbidden', `${instanceName} has not entitled remote task definition ${id} to this instance (its remote system ${remote.name}); ask the provider for it`);
    }
    return definition;
  }

  router.post('/sync/v1/remote-tasks/catalog', async (req, res) => {
    const remote = await consumer(req, parseBody(remoteTaskCatalogRequestSchema, req.body));
    const listed = (await definitions.entitledTo(remote._id)).filter((definition) => LISTED.has(definition.state));
    const result = listed.flatMap((definition) => {
      const revision = publishedRevision(definition);
      return revision ? [entry(definition, revision)] : [];
    });
    res.json({ result });
  });

  /** Activation pulls a revision: the provider then makes its half of the configuration and remembers who runs which revision. */
  router.post('/sync/v1/remote-tasks/revision', async (req, res) => {
    const request = parseBody(remoteTaskRevisionRequestSchema, req.body);
    const remote = await consumer(req, request);
    const definition = await entitled(remote, request.definition);
    const revision = activatableRevision(definition, request.revision);
    const includeFields = definition.revisions.flatMap((each) => providerRules(each.fields).flatMap((rule) => (rule.local ? [rule.local] : [])));
    await ensureSyncConfig(syncConfig, subflows, {
      remote,
      processEvent: definition.process_event,
      definition: definition._id,
      table: revision.target_table,
      includeFields: [...new Set(includeFields)],
      filter: captureFilter(definition._id, remote._id),
      subflows: revision.subflows,
    });
    const activations = [...definition.activations.filter((one) => one.remote_system !== remote._id), { remote_system: remote._id, revision: revision.revision, activated_on: nowDateTime() }];
    if (!(await definitions.replace(definition, { activations }, remote.name))) throw new ProblemError(409, 'changed-meanwhile', 'Conflict', `remote task definition ${definition._id} changed meanwhile; activate again`);
    req.log.info({ definition: definition._id, revision: revision.revision, remoteSystem: remote._id }, 'remote task definition activated by a consumer');
    res.json({ result: entry(definition, revision) });
  });

  router.post('/sync/v1/remote-tasks/admission', async (req, res) => {
    const request = parseBody(remoteTaskRevisionRequestSchema, req.body);
    const remote = await consumer(req, request);
    const definition = await entitled(remote, request.definition);
    if (request.revision === undefined) throw notFound('unknown-revision', 'name the revision the remote task is raised on');
    const problem = admissionProblem(definition, request.revision);
    if (problem) throw problem;
    res.json({ result: { admitted: true } });
  });

  return router;
}
