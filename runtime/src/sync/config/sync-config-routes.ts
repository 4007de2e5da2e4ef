import { configListQuerySchema, definitionListQuerySchema } from '@lockstep/schema';
import { Router, type Request } from 'express';
import { requestScope } from '../../domains/request-scope.js';
import { principalOf, requireRole } from '../../auth/principal.js';
import { roles } from '../../auth/roles.js';
import type { UserStore } from '../../auth/user-store.js';
import type { TableDictionary } from '../../dictionary/dictionary.js';
import type { SubflowStore } from '../../flows/subflow-store.js';
import { zodFindings } from '../../http/error-handler.js';
import { sendPage } from '../../http/listing.js';
import { parseBody } from '../../http/parse.js';
import { badRequest, notFound, ProblemError, type ProblemFinding } from '../../http/problem.js';
import { DuplicateKeyError } from '@lockstep/store';
import { ConfigDomains } from './config-domains.js';
import { changedFields, type ConfigKind } from './config-kind.js';
import { configKinds } from './config-kinds.js';
import { recordView, remoteSystemView } from './record-views.js';
import { ReferenceChecks } from './reference-checks.js';
import { relatedFindings, relatedSummary, relatedToDefinition } from './related-records.js';
import type { LinkStates } from '../link/link-states.js';
import type { StoredConfigRecord } from './stored-records.js';
import type { SyncConfigStore } from './sync-config-store.js';

export interface SyncConfigRouteServices {
  syncConfig: SyncConfigStore;
  users: UserStore;
  subflows: SubflowStore;
  dictionary: TableDictionary;
  link: { states: LinkStates };
}

function invalidReferences(label: string, findings: ProblemFinding[]): ProblemError {
  return new ProblemError(422, 'invalid-reference', 'Unprocessable content', `the ${label} refers to records that do not exist or do not fit (see errors); nothing was saved`, findings);
}

/**
 * The CRUD routes of one kind of configuration record. Every write checks
 * its references before it stores anything, so a rejected request changes
 * nothing.
 */
function kindRoutes<Fields extends { sys_domain: string }, T extends StoredConfigRecord & Fields, Patch extends { sys_domain?: string }>(
  kind: ConfigKind<Fields, T, Patch>,
  domains: ConfigDomains,
): Router {
  const router = Router();
  const slug = `unknown-${kind.path.replace(/s$/, '')}`;

  /** A record outside the caller's domain and those below it is answered as missing (domain separation). */
  async function recordOrNotFound(req: Request<{ id: string }>): Promise<T> {
    const record = await kind.records.get(req.params.id);
    if (!record || !requestScope(req).sees(record.sys_domain)) throw notFound(slug, `there is no ${kind.label} with sys_id ${req.params.id}; GET ${req.baseUrl} lists them`);
    return record;
  }

  async function checked(fields: Fields, changed: ReadonlySet<string>): Promise<void> {
    const findings = await kind.check(fields, changed);
    if (findings.length > 0) throw invalidReferences(kind.label, findings);
  }

  /** Refuses a value another record holds; the unique index is the last word on one taken meanwhile by another request. */
  async function unique<R>(fields: Fields, id: string | null, write: () => Promise<R>): Promise<R> {
    const { duplicate, taken } = kind;
    const conflict = async (why: NonNullable<typeof duplicate>) => new ProblemError(409, 'duplicate', 'Conflict', await why(fields));
    if (duplicate && (await taken?.(fields, id))) throw await conflict(duplicate);
    try {
      return await write();
    } catch (error) {
      if (error instanceof DuplicateKeyError && duplicate) throw await conflict(duplicate);
      throw error;
    }
  }

  router.get('/', async (req, res) => {
    const parsed = (kind.inDefinition ? configListQuerySchema : definitionListQuerySchema).safeParse(req.query);
    if (!parsed.success) throw badRequest('invalid-query', 'the query parameters are not valid; see errors', zodFindings(parsed.error, 'query'));
    const { limit, offset, ...filter } = parsed.data;
    const visible = requestScope(req).visible(filter);
    const [records, total] = await Promise.all([kind.records.find(visible, { limit, offset }), kind.records.count(visible)]);
    sendPage(res, records.map(kind.view), total);
  });

  router.post('/', async (req, res) => {
    const principal = principalOf(req);
    const scope = requestScope(req);
    kind.guard?.(req.body);
    const fields = parseBody(kind.createSchema, await domains.forCreate(kind.label, kind.inDefinition, req.body, scope));
    domains.checkCreated(kind.label, fields, scope);
    await checked(fields, changedFields(fields));
    const record = await unique(fields, null, () => kind.records.insert(fields, principal.userName));
    res.status(201).location(`${req.baseUrl}/${record._id}`).json({ result: kind.view(record) });
  });

  router.get('/:id', async (req, res) => {
    res.json({ result: kind.view(await recordOrNotFound(req)) });
  });

  router.patch('/:id', async (req, res) => {
    const current = await recordOrNotFound(req);
    kind.guard?.(req.body);
    const patch = parseBody(kind.updateSchema, req.body);
    await domains.checkPatch(kind.label, kind.inDefinition, current, patch, requestScope(req));
    const fields = kind.merge(current, patch);
    await checked({ ...current, ...fields }, changedFields(patch));
    const actor = principalOf(req).userName;
    const updated = await unique({ ...current, ...fields }, current._id, () => kind.records.update(current._id, fields, actor));
    if (!updated) throw notFound(slug, `the ${kind.label} ${current._id} was deleted while your change was on its way`);
    res.json({ result: kind.view((await kind.updated?.(current, updated, actor)) ?? updated) });
  });

  router.delete('/:id', async (req, res) => {
    const current = await recordOrNotFound(req);
    const dependents = await kind.dependents(current);
    const findings = relatedFindings(dependents);
    if (findings.length > 0) {
      const name = typeof current.name === 'string' ? `"${current.name}" (${current._id})` : current._id;
      throw new ProblemError(
        409,
        'has-related-records',
        'Conflict',
        `${kind.label} ${name} still has ${relatedSummary(dependents)} pointing at it (see errors); delete those or point them elsewhere first, then delete it`,
        findings,
      );
    }
    if (!(await kind.records.delete(current._id))) throw notFound(slug, `there is no ${kind.label} with sys_id ${current._id}`);
    res.status(204).end();
  });

  return router;
}

/**
 * The Remote Process Sync configuration API under `/api/lockstep/v1/sync`:
 * process sync definitions and their related records, for ih_process_sync
 * and admins. A remote system's password and signing secrets go in and never
 * come out.
 */
export function syncConfigRoutes(services: SyncConfigRouteServices): Router {
  const router = Router();
  const kinds = configKinds(services.syncConfig, new ReferenceChecks({ ...services, config: services.syncConfig }), services.link.states);
  const domains = new ConfigDomains(services.syncConfig);

  router.use((req, _res, next) => {
    requireRole(req, [roles.processSync], 'Configuring Remote Process Sync');
    next();
  });

  // What the definition's form shows below it.
  router.get('/definitions/:id/related', async (req, res) => {
    const definition = await services.syncConfig.definitions.get(req.params.id);
    if (!definition || !requestScope(req).sees(definition.sys_domain)) throw notFound('unknown-definition', `there is no process sync definition with sys_id ${req.params.id}; GET ${req.baseUrl}/definitions lists them`);
    const related = await relatedToDefinition(services.syncConfig, definition._id);
    res.json({
      result: {
        ...recordView(definition),
        related: {
          capture_definitions: related.capture_definitions.map(recordView),
          process_events: related.process_events.map(recordView),
          remote_systems: related.remote_systems.map(remoteSystemView),
          outbound_flows: related.outbound_flows.map(recordView),
          inbound_flows: related.inbound_flows.map(recordView),
        },
      },
    });
  });

  router.use(`/${kinds.definitions.path}`, kindRoutes(kinds.definitions, domains));
  router.use(`/${kinds.processEvents.path}`, kindRoutes(kinds.processEvents, domains));
  router.use(`/${kinds.captureDefinitions.path}`, kindRoutes(kinds.captureDefinitions, domains));
  router.use(`/${kinds.remoteSystems.path}`, kindRoutes(kinds.remoteSystems, domains));
  router.use(`/${kinds.outboundFlows.path}`, kindRoutes(kinds.outboundFlows, domains));
  router.use(`/${kinds.inboundFlows.path}`, kindRoutes(kinds.inboundFlows, domains));
  return router;
}
