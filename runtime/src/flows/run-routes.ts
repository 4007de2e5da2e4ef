import { InvalidInputsError, validateSubflow, type RunnableSubflow } from '@lockstep/flow';
import { contextListQuerySchema, testRunSchema } from '@lockstep/schema';
import { Router, type Request } from 'express';
import { requireRole, runAsOf } from '../auth/principal.js';
import { roles } from '../auth/roles.js';
import { requestScope } from '../domains/request-scope.js';
import { parseBody, parseQueryParams } from '../http/parse.js';
import { sendPage, withSysId } from '../http/listing.js';
import { badRequest, notFound } from '../http/problem.js';
import type { FlowEngine } from './flow-engine.js';
import { unpublishable } from './publish-findings.js';
import { reachableSubflow } from './subflow-access.js';
import { graphOf } from './subflow-document.js';
import type { SubflowStore } from './subflow-store.js';

/** Test runs of subflows, and the flow contexts every run leaves, for designers and admins. */
export function runRoutes(subflows: SubflowStore, engine: FlowEngine): Router {
  const router = Router();
  // Checked per route: this router shares its mount point with the user routes, which every user may reach.
  const allowed = (req: Request) => requireRole(req, [roles.processSync], 'Running subflows and reading flow contexts');

  // As the caller, in the caller's domain: what the run may touch is what the caller may.
  router.post('/subflows/:id/test-run', async (req, res) => {
    const principal = allowed(req);
    const { inputs, version, dry_run } = parseBody(testRunSchema, req.body);
    const head = await reachableSubflow(subflows, req.params.id, requestScope(req));
    const stored = version === undefined ? head : await subflows.version(head._id, version);
    if (!stored) throw notFound('unknown-version', `"${head.name}" (${head._id}) has no version ${String(version)}`);
    const graph = graphOf(stored);
    const findings = validateSubflow(graph);
    if (findings.some((finding) => finding.severity === 'error')) throw unpublishable(graph.name, findings, 'so it cannot run; fix them and run it again');
    const subflow: RunnableSubflow = { id: req.params.id, version: version ?? 'draft', graph };
    try {
      const context = await engine.runner.start(subflow, inputs, {
        testRun: true,
        runAs: runAsOf(principal),
        ...(dry_run && { sync: { kind: 'dry_run' } }),
      });
      res.status(201).location(`${req.baseUrl}/contexts/${context._id}`).json({ result: withSysId(context) });
    } catch (error) {
      if (!(error instanceof InvalidInputsError)) throw error;
      throw badRequest('invalid-inputs', 'the inputs do not match what the subflow declares; see errors', error.findings.map((finding) => ({ path: `inputs.${finding.input}`, message: finding.message })));
    }
  });

  router.get('/contexts', async (req, res) => {
    allowed(req);
    const { subflow, status, test_run, limit, offset } = parseQueryParams(contextListQuerySchema, req.query);
    const { contexts, total } = await engine.contexts.list({ subflowId: subflow, status, testRun: test_run }, requestScope(req), limit, offset);
    sendPage(res, contexts.map(withSysId), total);
  });

  router.get('/contexts/:id', async (req, res) => {
    allowed(req);
    const context = await engine.contexts.get(req.params.id);
    // One of another domain's runs is answered as missing: its data is that domain's.
    if (!context || !requestScope(req).sees(context.sys_domain)) throw notFound('unknown-context', `there is no flow context ${req.params.id}`);
    res.json({ result: withSysId(context) });
  });

  return router;
}
