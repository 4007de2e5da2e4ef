import type { RequestHandler } from 'express';
import { openApiDocument } from './openapi-document.js';
import { apiOperations, type ApiFacts } from './openapi-operations.js';

/**
 * `GET /api/lockstep/v1/openapi.json`, for anyone: the contract is no
 * secret, and tools read it before they have credentials. Built on the first
 * request, so a runtime that is never asked spends nothing on it.
 */
export function openApiRoute(facts: ApiFacts): RequestHandler {
  let document: unknown;
  return (_req, res) => {
    document ??= openApiDocument(apiOperations(facts));
    res.json(document);
  };
}
