import type { RequestHandler } from 'express';
import type { DocumentStore } from '@lockstep/store';
import { tallyOperations } from './operation-tally.js';
import { ProblemError } from './problem.js';

const started = Date.now();

/**
 * Unauthenticated liveness and readiness: answers 503 when the store does
 * not. Anyone may ask, so it names no path, address or URI (the store's
 * location, the driver's error); the log has those.
 */
export function healthRoute({ instanceName, store }: { instanceName: string; store: DocumentStore }): RequestHandler {
  const byCollection = tallyOperations(store);
  return async (req, res) => {
    try {
      await store.ping();
    } catch (error) {
      req.log.error({ err: error, location: store.location }, 'the store does not answer');
      throw new ProblemError(503, 'store-unavailable', 'Service unavailable', `the ${store.kind} store does not answer; the log says why`);
    }
    // Operation counts only exist when LOCKSTEP_COUNT_STORE_OPS=1 asks for them (the sync bench reads them here).
    const operations = store.operationCounts();
    res.json({
      status: 'ok',
      instance: instanceName,
      store: { kind: store.kind, ...(operations === undefined ? {} : { operations, operations_by_collection: byCollection?.() }) },
      uptime_s: Math.round((Date.now() - started) / 1000),
    });
  };
}
