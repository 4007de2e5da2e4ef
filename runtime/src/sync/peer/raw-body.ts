import express, { type Request, type RequestHandler } from 'express';

declare module 'express-serve-static-core' {
  interface Request {
    /** The body's bytes as received, kept only on the peer routes, whose signature covers them. */
    rawBody?: Buffer;
  }
}

/**
 * The JSON parser of the peer API (`/api/sync/v1`). It is mounted before the
 * API's shared parser, which then finds the body already read and skips it:
 * the signature must be checked over the exact bytes the peer signed, and a
 * re-serialisation of the parsed JSON would not always give them back. Only
 * these routes keep the extra copy.
 */
export const peerBodyParser: RequestHandler = express.json({
  limit: '1mb',
  type: ['application/json', 'application/*+json'],
  verify: (req, _res, buffer) => {
    (req as Request).rawBody = buffer;
  },
});
