import {
  remoteTaskDefinitionSchema,
  remoteTaskDefinitionUpdateSchema,
  remoteTaskEntitlementSchema,
  remoteTaskStateChangeSchema,
  type RemoteTaskDefinitionView,
} from '@lockstep/schema';
import { Router, type Request } from 'express';
import { principalOf, requireRole } from '../auth/principal.js';
import { roles } from '../auth/roles.js';
import type { TableDictionary } from '../dictionary/dictionary.js';
import { requestScope } from '../domains/request-scope.js';
import { sendPage } from '../http/listing.js';
import { parseBody } from '../http/parse.js';
import { badRequest, notFound, ProblemError } from '../http/problem.js';
import type { SyncConfigStore } from '../sync/config/sync-config-store.js';
import { editedRevisions, movedTo, published } from './definition-lifecycle.js';
import type { RemoteTaskDefinitions, StoredRemoteTaskDefinition } from './definition-store.js';

export function definitionView(definition: StoredRemoteTaskDefinition): RemoteTaskDefinitionView {
  const { _id, sys_mod: _mod, ...rest } = definition;
  return { sys_id: _id, ...rest, published_revision: definition.revisions.filter((revision) => revision.status === 'published').at(-1)?.revision ?? 0 };
}

export interface DefinitionRouteServices {
  definitions: RemoteTaskDefinitions;
  syncConfig: SyncConfigStore;
  dictionary: TableDictionary;
}

/** The provider's remote task definitions, their revisions, lifecycle and entitlements (`/api/lockstep/v1/remote-tasks/definitions`). */
export function definitionRoutes({ definitions, syncConfig, dictionary }: DefinitionRouteServices): Router {
  const router = Router();
  const configure = (req: Request) => requireRole(req, [roles.processSync], 'Remote task definitions');

  async function visible(req: Request<{ id: string }>): Promise<StoredRemoteTaskDefinition> {
    configure(req);
    const definition = await definitions.get(req.params.id);
    if (!definition || !requestScope(req).sees(definition.sys_domain)) throw notFound('unknown-remote-task-definition', `there is no remote task definition ${req.params.id}`);
    return definition;
  }

  function targetTableKnown(table: string | undefined): void {
    if (table !== undefined && !dictionary.get(table)) throw badRequest('invalid-body', `there is no table ${table}; GET /api/lockstep/v1/dictionary/tables lists them`, [{ path: 'body.target_table', message: `unknown table ${table}` }]);
  }

  /** A change made to the definition as read; one made meanwhile by someone else is refused rather than lost. */
  async function replaced(req: Request, read: StoredRemoteTaskDefinition, changes: Partial<StoredRemoteTaskDefinition>): Promise<StoredRemoteTaskDefinition> {
    const written = await definitions.replace(read, changes, principalOf(req).userName);
    if (!written) throw new ProblemError(409, 'changed-meanwhile', 'Conflict', `remote task definition ${read._id} changed while your change was on its way; read it again and retry`);
    return written;
  }

  router.get('/', async (req, res) => {
    configure(req);
    const scope = requestScope(req);
    const found = (await definitions.list()).filter((definition) => scope.sees(definition.sys_domain));
    sendPage(res, found.map(definitionView), found.length);
  });

  router.post('/', async (req, res) => {
    const principal = configure(req);
    const content = parseBody(remoteTaskDefinitionSchema, req.body);
    targetTableKnown(content.target_table);
    const created = await definitions.create(content, principal.userName, principal.domain);
    req.log.info({ definition: created._id }, 'remote task definition created');
    res.status(201).location(`${req.baseUrl}/${created._id}`).json({ result: definitionView(created) });
  });

  router.get('/:id', async (req, res) => {
    res.json({ result: definitionView(await visible(req)) });
  });

  router.patch('/:id', async (req, res) => {
    const definition = await visible(req);
    const edit = parseBody(remoteTaskDefinitionUpdateSchema, req.body);
    targetTableKnown(edit.target_table);
    const revisions = editedRevisions(definition, edit);
    res.json({ result: definitionView(await replaced(req, definition, { revisions })) });
  });

  router.delete('/:id', async (req, res) => {
    const definition = await visible(req);
    if (definition.state !== 'draft' || definition.entitlements.length > 0) {
      throw new ProblemError(409, 'definition-in-use', 'Conflict', `remote task definition "${definition.name}" is ${definition.state} with ${definition.entitlements.length} entitlements; only an unentitled draft is deleted. Retire it instead`);
    }
    await definitions.delete(definition._id);
    res.status(204).end();
  });

  router.post('/:id/publish', async (req, res) => {
    const definition = await visible(req);
    const written = await replaced(req, definition, published(definition));
    req.log.info({ definition: written._id, revision: written.revisions.at(-1)?.revision }, 'remote task definition revision published');
    res.json({ result: definitionView(written) });
  });

  router.post('/:id/state', async (req, res) => {
    const definition = await visible(req);
    const { state } = parseBody(remoteTaskStateChangeSchema, req.body);
    const written = await replaced(req, definition, { state: movedTo(definition, state) });
    req.log.info({ definition: written._id, state }, 'remote task definition state changed');
    res.json({ result: definitionView(written) });
  });

  router.get('/:id/revisions', async (req, res) => {
    const { revisions } = await visible(req);
    sendPage(res, revisions, revisions.length);
  });

  router.post('/:id/entitlements', async (req, res) => {
    const definition = await visible(req);
    const { remote_system } = parseBody(remoteTaskEntitlementSchema, req.body);
    const remote = await syncConfig.remoteSystem(remote_system);
    if (!remote || !requestScope(req).sees(remote.sys_domain)) {
      throw new ProblemError(422, 'invalid-reference', 'Unprocessable content', `there is no remote system ${remote_system} to entitle; a consumer is one of this instance's remote systems`, [{ path: 'body.remote_system', message: 'unknown remote system' }]);
    }
    const entitlements = [...new Set([...definition.entitlements, remote_system])];
    res.status(201).json({ result: definitionView(await replaced(req, definition, { entitlements })) });
  });

  router.delete('/:id/entitlements/:remoteSystem', async (req, res) => {
    const definition = await visible(req);
    if (!definition.entitlements.includes(req.params.remoteSystem)) throw notFound('unknown-entitlement', `remote task definition "${definition.name}" is not entitled to ${req.params.remoteSystem}`);
    await replaced(req, definition, { entitlements: definition.entitlements.filter((id) => id !== req.params.remoteSystem) });
    res.status(204).end();
  });

  return router;
}
