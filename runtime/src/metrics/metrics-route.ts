import type { RequestHandler } from 'express';
import { requireRole } from '../auth/principal.js';
import { roles } from '../auth/roles.js';
import { ProblemError } from '../http/problem.js';
import type { RuntimeMetrics } from './runtime-metrics.js';

/** Who may read `/metrics` (--metrics). */
export const metricsAccessModes = ['loopback', 'admin', 'open', 'off'] as const;
export type MetricsAccess = (typeof metricsAccessModes)[number];

/** 127.0.0.0/8 and ::1, also as IPv4 mapped into IPv6. */
function isLoopback(address: string | undefined): boolean {
  const bare = (address ?? '').replace(/^::ffff:/i, '');
  return bare === '::1' || /^127\.\d+\.\d+\.\d+$/.test(bare);
}

const fromThisHost: RequestHandler = (req, _res, next) => {
  if (!isLoopback(req.socket.remoteAddress)) {
    throw new ProblemError(403, 'metrics-not-allowed', 'Forbidden', "metrics are served to this host only (--metrics loopback); scrape from this host, or start the instance with --metrics admin and scrape with an admin's credentials");
  }
  next();
};

const adminOnly: RequestHandler = (req, _res, next) => {
  requireRole(req, [roles.admin], 'Reading the metrics');
  next();
};

const metricsOff: RequestHandler = () => {
  throw new ProblemError(404, 'metrics-off', 'Not found', 'metrics are off on this instance (--metrics off)');
};

/**
 * `/metrics`, in Prometheus's text format, as the handlers to mount. Its
 * labels name remote systems and its figures tell how busy each customer's
 * link is, so by default only a scraper on the same host reads it
 * (`loopback`), with no credentials to keep in its configuration; `admin`
 * asks for an admin's Basic credentials or API token, for a scraper
 * elsewhere; `open` is for a network where only trusted hosts reach the
 * port; `off` answers 404. The client's address is the connection's: a
 * reverse proxy on the same host makes every request loopback, so route
 * /metrics through one only with `admin`.
 */
export function metricsRoute(metrics: Pick<RuntimeMetrics, 'registry'>, access: MetricsAccess, authenticated: RequestHandler): RequestHandler[] {
  const answer: RequestHandler = async (_req, res) => {
    const text = await metrics.registry.metrics();
    res.type(metrics.registry.contentType).send(text);
  };
  if (access === 'off') return [metricsOff];
  if (access === 'open') return [answer];
  if (access === 'loopback') return [fromThisHost, answer];
  return [authenticated, adminOnly, answer];
}
