import { dashboardQuerySchema, type Dashboard } from '@lockstep/schema';
import { Router } from 'express';
import { requireRole } from '../../auth/principal.js';
import { scopeOf } from '../../domains/domain-scope.js';
import { roles } from '../../auth/roles.js';
import { parseQueryParams } from '../../http/parse.js';
import type { SyncConfigStore } from '../config/sync-config-store.js';
import type { InboundQueue } from '../inbound/inbound-queue.js';
import type { OutboundQueue } from '../outbound/outbound-queue.js';
import { HOUR, MINUTE } from './queue-figures.js';

/** A chart's buckets: the last hour by minute, or the last day by hour. */
const buckets = {
  minute: { size: MINUTE, count: 60 },
  hour: { size: HOUR, count: 24 },
} as const;

/** Bucket starts, oldest first, aligned to the bucket size; the last one holds `now`. */
export function bucketStarts(now: number, size: number, count: number): number[] {
  const current = Math.floor(now / size) * size;
  return Array.from({ length: count }, (_unused, index) => current - (count - 1 - index) * size);
}

/**
 * The admin console's dashboard in one answer: every remote system's states,
 * each queue's backlog, throughput, processing time and last activity, and
 * a time series for its charts; all of it in the caller's domain and below.
 */
export function dashboardRoutes(outbound: OutboundQueue, inbound: InboundQueue, config: SyncConfigStore): Router {
  const router = Router();

  router.get('/lockstep/v1/sync/dashboard', async (req, res) => {
    const scope = scopeOf(requireRole(req, [roles.processSync], 'Reading the sync dashboard'));
    const { bucket } = parseQueryParams(dashboardQuerySchema, req.query);
    const now = Date.now();
    const { size, count } = buckets[bucket];
    const starts = bucketStarts(now, size, count);
    const [systems, { series: outboundSeries, ...outboundFigures }, { series: inboundSeries, ...inboundFigures }] = await Promise.all([
      config.remoteSystems.find(scope.visible()),
      outbound.counter(scope).figures(now, { starts, size }),
      inbound.counter(scope).figures(now, { starts, size }),
    ]);
    res.json({
      result: {
        generated_at: now,
        remote_systems: systems.map(({ _id, name, process_sync_definition, inbound_state, outbound_state }) => ({ sys_id: _id, name, process_sync_definition, inbound_state, outbound_state })),
        outbound: outboundFigures,
        inbound: inboundFigures,
        series: { bucket, bucket_ms: size, starts, outbound: outboundSeries, inbound: inboundSeries },
      } satisfies Dashboard,
    });
  });

  return router;
}
