import type { RequestHandler } from 'express';
import type { DocumentStore } from '../store/port.js';
import { ProblemError } from './problem.js';

const started = Date.now();

/** Unauthenticated liveness and readiness: answers 503 when the store does not. */
export function healthRoute({ instanceName, store }: { instanceName: string; store: DocumentStore }): RequestHandler {
  return async (_req, res) => {
    try {
      await store.ping();
    } catch (error) {
      throw new ProblemError(503, 'store-unavailable', 'Service unavailable', `the ${store.kind} store at ${store.location} does not answer: ${(error as Error).message}`);
    }
    // Operation counts only exist when LOCKSTEP_COUNT_STORE_OPS=1 asks for them (the sync bench reads them here).
    const operations = store.operationCounts();
    res.json({
      status: 'ok',
      instance: instanceName,
      store: { kind: store.kind, location: store.location, ...(operations === undefined ? {} : { operations }) },
      uptime_s: Math.round((Date.now() - started) / 1000),
    });
  };
}
