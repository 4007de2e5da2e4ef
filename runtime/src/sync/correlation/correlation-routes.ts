import { correlationListQuerySchema } from '@lockstep/schema';
import { Router } from 'express';
import { requestScope } from '../../domains/request-scope.js';
import { requireRole } from '../../auth/principal.js';
import { roles } from '../../auth/roles.js';
import { sendPage, withSysId } from '../../http/listing.js';
import { parseQueryParams } from '../../http/parse.js';
import { notFound } from '../../http/problem.js';
import type { CorrelationStore } from './correlation-store.js';

const BASE = '/lockstep/v1/sync/correlations';

/**
 * The correlation records, read-only for admins (role ih_process_sync): which
 * local record is which remote one, in the caller's domain and below it.
 * Flows create and close them.
 */
export function correlationRoutes(correlations: CorrelationStore): Router {
  const router = Router();

  router.get(BASE, async (req, res) => {
    requireRole(req, [roles.processSync], 'Reading correlations');
    const { limit, offset, ...fields } = parseQueryParams(correlationListQuerySchema, req.query);
    // Filters left out are undefined, which the store ignores.
    const filter = requestScope(req).visible(fields);
    const [page, total] = await Promise.all([correlations.list(filter, { limit, offset }), correlations.count(filter)]);
    sendPage(res, page.map(withSysId), total);
  });

  router.get(`${BASE}/:id`, async (req, res) => {
    requireRole(req, [roles.processSync], 'Reading correlations');
    const found = await correlations.get(req.params.id);
    if (!found || !requestScope(req).sees(found.sys_domain)) throw notFound('unknown-correlation', `there is no correlation ${req.params.id}`);
    res.json({ result: withSysId(found) });
  });

  return router;
}
