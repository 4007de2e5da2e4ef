import { newRemoteTaskSchema, remoteTaskActivationSchema, remoteTaskCatalogQuerySchema, remoteTaskUpgradeSchema, type RemoteTaskActivationView } from '@lockstep/schema';
import { Router, type Request } from 'express';
import { principalOf, requireRole } from '../auth/principal.js';
import { hasAnyRole, roles } from '../auth/roles.js';
import type { ResolvedTable, TableDictionary } from '../dictionary/dictionary.js';
import { scopeOf } from '../domains/domain-scope.js';
import { requestScope } from '../domains/request-scope.js';
import { sendPage } from '../http/listing.js';
import { parseBody, parseQueryParams } from '../http/parse.js';
import { forbidden, notFound, ProblemError } from '../http/problem.js';
import type { SyncConfigStore } from '../sync/config/sync-config-store.js';
import type { RecordStore } from '../table/record-store.js';
import { toApiRecord } from '../table/record-view.js';
import type { ActivationStore, StoredActivation } from './activation-store.js';
import type { Activations } from './activations.js';
import type { ProviderClient } from './provider-client.js';
import type { RemoteTaskRaising } from './raising.js';
import type { RemoteTaskRecords } from './remote-task-records.js';

export interface ConsumerRouteServices {
  syncConfig: SyncConfigStore;
  dictionary: TableDictionary;
  records: RecordStore;
  activations: ActivationStore;
  activating: Activations;
  provider: ProviderClient;
  raising: RemoteTaskRaising;
  tasks: RemoteTaskRecords;
}

export function activationView({ _id, ...rest }: StoredActivation): RemoteTaskActivationView {
  return { sys_id: _id, ...rest };
}

/**
 * The consumer's side (`/api/lockstep/v1/remote-tasks`): a provider's
 * catalog of what it entitled here, activations and their upgrades, and
 * Create remote task on a record.
 */
export function consumerRoutes(services: ConsumerRouteServices): Router {
  const router = Router();
  const { syncConfig, dictionary, records, activations } = services;
  const configure = (req: Request) => requireRole(req, [roles.processSync], 'Remote task activations');

  async function remoteSystem(req: Request, id: string) {
    const remote = await syncConfig.remoteSystem(id);
    if (!remote || !requestScope(req).sees(remote.sys_domain)) {
      throw new ProblemError(422, 'invalid-reference', 'Unprocessable content', `there is no remote system ${id}; a provider is one of this instance's remote systems`, [{ path: 'remote_system', message: 'unknown remote system' }]);
    }
    return remote;
  }

  function table(name: string): ResolvedTable {
    const found = dictionary.get(name);
    if (!found) throw new ProblemError(422, 'invalid-reference', 'Unprocessable content', `there is no table ${name}`, [{ path: 'body.table', message: 'unknown table' }]);
    return found;
  }

  async function visibleActivation(req: Request, id: string): Promise<StoredActivation> {
    const activation = await activations.activations.findOne({ _id: id });
    if (!activation || !requestScope(req).sees(activation.sys_domain)) throw notFound('unknown-activation', `there is no remote task activation ${id}`);
    return activation;
  }

  router.get('/catalog', async (req, res) => {
    configure(req);
    const { remote_system } = parseQueryParams(remoteTaskCatalogQuerySchema, req.query);
    const entries = await services.provider.catalog(await remoteSystem(req, remote_system));
    sendPage(res, entries, entries.length);
  });

  /** Whoever may raise remote tasks may list the activations, to choose one on a record's Create remote task. */
  const chooseActivation = (req: Request) => {
    if (!hasAnyRole(principalOf(req).roles, services.tasks.table.roles.write)) configure(req);
  };

  router.get('/activations', async (req, res) => {
    chooseActivation(req);
    const found = await activations.activations.find(requestScope(req).visible({}), { sort: { name: 1, _id: 1 } });
    sendPage(res, found.map(activationView), found.length);
  });

  router.post('/activations', async (req, res) => {
    const principal = configure(req);
    const body = parseBody(remoteTaskActivationSchema, req.body);
    const activation = await services.activating.activate(await remoteSystem(req, body.remote_system), table(body.table), body.definition, body.fields, principal);
    req.log.info({ activation: activation._id, definition: activation.definition, revision: activation.revision }, 'remote task definition activated');
    res.status(201).location(`${req.baseUrl}/activations/${activation._id}`).json({ result: activationView(activation) });
  });

  router.get('/activations/:id', async (req, res) => {
    configure(req);
    res.json({ result: activationView(await visibleActivation(req, req.params.id)) });
  });

  router.post('/activations/:id/upgrade', async (req, res) => {
    const principal = configure(req);
    const activation = await visibleActivation(req, req.params.id);
    const { fields } = parseBody(remoteTaskUpgradeSchema, req.body);
    const upgraded = await services.activating.upgrade(activation, await remoteSystem(req, activation.remote_system), table(activation.table), fields, principal);
    req.log.info({ activation: upgraded._id, revision: upgraded.revision }, 'remote task activation upgraded');
    res.json({ result: activationView(upgraded) });
  });

  /** Create remote task, on a record: whoever may write the record and remote tasks may raise one. */
  router.post('/', async (req, res) => {
    const principal = principalOf(req);
    const body = parseBody(newRemoteTaskSchema, req.body);
    const activation = await visibleActivation(req, body.activation);
    const parentTable = table(activation.table);
    for (const one of [parentTable, services.tasks.table]) {
      if (!hasAnyRole(principal.roles, one.roles.write)) throw forbidden(`raising a remote task needs write access to ${one.name} (${one.roles.write.join(', ')})`);
    }
    const record = await records.get(parentTable, body.sys_id, scopeOf(principal));
    if (!record) throw notFound('unknown-record', `there is no ${parentTable.name} record ${body.sys_id}`);
    const existing = await services.tasks.of(record.sys_id, activation.definition, activation.remote_system);
    if (existing) throw new ProblemError(409, 'remote-task-exists', 'Conflict', `${String(record.number)} has remote task ${String(existing.number)} on "${activation.name}" already`);
    // Marking the record is the change its capture definition sends on: the task goes out with it.
    const task = await services.raising.raise(activation, parentTable, record, principal, null);
    req.log.info({ remoteTask: task.sys_id, record: record.sys_id, activation: activation._id }, 'remote task created');
    res.status(201).location(`/api/now/table/remote_task/${task.sys_id}`).json({ result: toApiRecord(task, services.tasks.table) });
  });

  return router;
}
