import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';
import helmet from 'helmet';
import { notFound, ProblemError } from './problem.js';

/** Where `npm run build` puts the designer's static assets, from runtime/dist/http. */
const designerDist = fileURLToPath(new URL('../../../designer/dist/', import.meta.url));

/**
 * What the designer's pages may do: run and style themselves only from this
 * instance's own files (its build has no inline script or style; React sets
 * styles through the DOM, which a policy does not block), call this
 * instance's API, start its validation worker, and show images of its own
 * or inlined ones. No page may frame it (clickjacking); no plugin, form or
 * <base> may send anything elsewhere. No upgrade-insecure-requests: an
 * instance served over plain HTTP on a LAN would then load nothing.
 */
const designerPolicy = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'"],
    connectSrc: ["'self'"],
    workerSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
} as const;

/**
 * The designer at `/designer`: its built assets, and index.html for any other
 * path below it, so a reload on a deep link opens the app there. Assets have
 * content hashes in their names and are cached for long; index.html is not.
 * Every answer carries helmet's headers: the policy above, nosniff, no
 * framing at all, no referrer. Not HSTS: whether the instance is reached over
 * HTTPS is the proxy's to say.
 */
export function designerAssets(root: string = designerDist): Router {
  const router = Router();
  const index = `${root}index.html`;
  router.use(helmet({ contentSecurityPolicy: designerPolicy, xFrameOptions: { action: 'deny' }, strictTransportSecurity: false }));
  router.use((_req, _res, next) => {
    if (!existsSync(index)) {
      throw new ProblemError(503, 'designer-not-built', 'Designer not built', 'the designer has not been built; run `npm run build` at the repository root, then restart');
    }
    next();
  });
  router.use('/assets', express.static(`${root}assets`, { immutable: true, maxAge: '1y' }), (req) => {
    // A missing asset is a stale page asking for an old build's file, not a route of the app.
    throw notFound('unknown-asset', `the designer has no asset ${req.path}; reload the page to get the current build`);
  });
  router.use(express.static(root, { index: false }));
  router.get('/{*path}', (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return router;
}
