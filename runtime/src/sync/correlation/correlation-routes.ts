import { Router } from 'express';
import { z } from 'zod';
import { requestScope } from '../../domains/request-scope.js';
import { requireRole } from '../../auth/principal.js';
import { roles } from '../../auth/roles.js';
import { pageParams, sendPage, withSysId } from '../../http/listing.js';
import { parseQueryParams } from '../../http/parse.js';
import { notFound } from '../../http/problem.js';
import type { CorrelationStore } from './correlation-store.js';

const sysId = z.string().regex(/^[0-9a-f]{32}$/, 'a sys_id is 32 hex characters');

const listQuery = z.strictObject({
  local_table: z.string().regex(/^[a-z][a-z0-9_]{0,79}$/, 'a table name is lower case letters, digits and _').optional(),
  local_record: sysId.optional(),
  remote_system: sysId.optional(),
  local_correlation_id: sysId.optional(),
  remote_correlation_id: z.string().min(1).max(200).optional(),
  state: z.enum(['active', 'inactive']).optional(),
  ...pageParams,
});

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
    const { limit, offset, ...fields } = parseQueryParams(listQuery, req.query);
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
