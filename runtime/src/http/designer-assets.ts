import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';
import { notFound, ProblemError } from './problem.js';

/** Where `npm run build` puts the designer's static assets, from runtime/dist/http. */
const designerDist = fileURLToPath(new URL('../../../designer/dist/', import.meta.url));

/**
 * The designer at `/designer`: its built assets, and index.html for any other
 * path below it, so a reload on a deep link opens the app there. Assets have
 * content hashes in their names and are cached for long; index.html is not.
 */
export function designerAssets(root: string = designerDist): Router {
  const router = Router();
  const index = `${root}index.html`;
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
