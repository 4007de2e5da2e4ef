import { validateSubflow } from '@lockstep/flow';
import { subflowCopySchema, subflowGraphSchema, subflowListQuerySchema, subflowVersionNumber } from '@lockstep/schema';
import { Router, type Request, type Response } from 'express';
import { principalOf, requireRole } from '../auth/principal.js';
import { roles } from '../auth/roles.js';
import { requestScope } from '../domains/request-scope.js';
import { zodFindings } from '../http/error-handler.js';
import { parseBody } from '../http/parse.js';
import { badRequest, notFound, ProblemError } from '../http/problem.js';
import { unpublishable } from './publish-findings.js';
import { checkRevision, etagOf, staleDraft } from './revision-precondition.js';
import { ownSubflow, reachableSubflow } from './subflow-access.js';
import { graphOf, subflowSummary, subflowView, versionSummary, versionView, type StoredSubflow } from './subflow-document.js';
import type { SubflowStore } from './subflow-store.js';

/**
 * The subflow API under `/api/lockstep/v1/subflows`: drafts with optimistic
 * concurrency (ETag / If-Match on the draft's revision), validation, publishing
 * into immutable versions, and copies. Process designers (ih_process_sync) and
 * admins only, reads included: a subflow shows how the integration works.
 * Reads and copies reach the caller's domain tree and its parent domains;
 * changes, its tree only (see subflow-access).
 */
export function subflowRoutes(subflows: SubflowStore): Router {
  const router = Router();

  router.use((req, _res, next) => {
    requireRole(req, [roles.processSync], 'Working with subflows');
    next();
  });

  const subflowOrNotFound = (req: Request<{ id: string }>): Promise<StoredSubflow> => reachableSubflow(subflows, req.params.id, requestScope(req));

  async function editable(req: Request<{ id: string }>, action: string): Promise<StoredSubflow> {
    const subflow = ownSubflow(await subflowOrNotFound(req), requestScope(req), action);
    if (subflow.system) {
      throw new ProblemError(
        409,
        'system-subflow',
        'Conflict',
        `"${subflow.name}" (${subflow._id}) is a system subflow and cannot be ${action}; copy it to change it (POST /api/lockstep/v1/subflows/${subflow._id}/copy)`,
      );
    }
    return subflow;
  }

  function sendDraft(res: Response, status: number, draft: StoredSubflow, extra: Record<string, unknown> = {}): void {
    res.status(status).setHeader('ETag', etagOf(draft.revision));
    res.json({ result: subflowView(draft), ...extra });
  }

  function sendCreated(req: Request, res: Response, draft: StoredSubflow): void {
    res.location(`${req.baseUrl}/${draft._id}`);
    sendDraft(res, 201, draft, { findings: validateSubflow(graphOf(draft)) });
  }

  router.get('/', async (req, res) => {
    const query = subflowListQuerySchema.safeParse(req.query);
    if (!query.success) throw badRequest('invalid-query', 'the query parameters are not valid; see errors', zodFindings(query.error, 'query'));
    res.json({ result: (await subflows.list(query.data, requestScope(req))).map(subflowSummary) });
  });

  router.post('/', async (req, res) => {
    const graph = parseBody(subflowGraphSchema, req.body);
    sendCreated(req, res, await subflows.create(graph, principalOf(req)));
  });

  router.get('/:id', async (req, res) => {
    sendDraft(res, 200, await subflowOrNotFound(req));
  });

  // A draft may be saved with findings: designers save work in progress.
  router.put('/:id', async (req, res) => {
    const current = await editable(req, 'edited');
    checkRevision(req, current.revision, 'Saving a draft', true);
    const graph = parseBody(subflowGraphSchema, req.body);
    const saved = await subflows.saveDraft(current._id, current.revision, graph, principalOf(req));
    if (!saved) throw staleDraft('someone saved it while your change was on its way');
    sendDraft(res, 200, saved, { findings: validateSubflow(graph) });
  });

  router.delete('/:id', async (req, res) => {
    const current = await editable(req, 'deleted');
    checkRevision(req, current.revision, 'Deleting a draft', false);
    const outcome = await subflows.deleteDraft(current._id);
    if (outcome.kind === 'missing') throw notFound('unknown-subflow', `there is no subflow with id ${current._id}`);
    if (outcome.kind === 'published') {
      const versions = outcome.versions === 1 ? '1 published version' : `${outcome.versions} published versions`;
      throw new ProblemError(
        409,
        'subflow-published',
        'Conflict',
        `"${current.name}" (${current._id}) has ${versions}, which outbound, inbound or error flows may run, so it is kept; published versions never change or go away`,
      );
    }
    res.status(204).end();
  });

  // Without a body, the saved draft; with one, unsaved work from the designer.
  router.post('/:id/validate', async (req, res) => {
    const subflow = await subflowOrNotFound(req);
    const graph = req.body === undefined ? graphOf(subflow) : parseBody(subflowGraphSchema, req.body);
    res.json({ findings: validateSubflow(graph) });
  });

  router.post('/:id/publish', async (req, res) => {
    const draft = await editable(req, 'published');
    checkRevision(req, draft.revision, 'Publishing a draft', true);
    const outcome = await subflows.publish(draft, principalOf(req));
    switch (outcome.kind) {
      case 'invalid':
        throw unpublishable(draft.name, outcome.findings);
      case 'raced':
        throw new ProblemError(409, 'publish-conflict', 'Conflict', `version ${outcome.version} of "${draft.name}" was published by someone else at the same moment; reload the draft and publish again if needed`);
      case 'missing':
        throw notFound('unknown-subflow', `subflow ${draft._id} was deleted while it was being published`);
      case 'published':
        res
          .status(201)
          .location(`${req.baseUrl}/${draft._id}/versions/${outcome.version.version}`)
          .json({ result: versionView(outcome.version), findings: outcome.findings });
    }
  });

  router.get('/:id/versions', async (req, res) => {
    const subflow = await subflowOrNotFound(req);
    res.json({ result: (await subflows.listVersions(subflow._id)).map(versionSummary) });
  });

  router.get('/:id/versions/:version', async (req, res) => {
    const subflow = await subflowOrNotFound(req);
    const number = subflowVersionNumber.safeParse(req.params.version);
    if (!number.success) throw badRequest('invalid-version', `${req.params.version} is not a version number; versions count from 1`);
    const version = await subflows.version(subflow._id, number.data);
    if (!version) throw notFound('unknown-version', `"${subflow.name}" (${subflow._id}) has no version ${number.data}; GET ${req.baseUrl}/${subflow._id}/versions lists them`);
    res.json({ result: versionView(version) });
  });

  router.post('/:id/copy', async (req, res) => {
    // Into the caller's own domain, whichever domain the source is in.
    const source = await subflowOrNotFound(req);
    const options = parseBody(subflowCopySchema, req.body);
    const copy = await subflows.copy(source._id, options, principalOf(req));
    if (!copy) throw notFound('unknown-version', `"${source.name}" (${source._id}) has no version ${String(options.version)} to copy`);
    sendCreated(req, res, copy);
  });

  return router;
}
