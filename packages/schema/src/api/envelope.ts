import { z } from 'zod';

/**
 * The wrappers every API answer comes in: one thing, or a page of a list, as
 * `{ "result": … }`, the original's shape. A page's whole length is in the
 * `X-Total-Count` header, not the body.
 *
 * Answers are plain (not strict) objects: the document still says no other
 * field comes (z.toJSONSchema gives an answer `additionalProperties: false`),
 * while a client parsing with them drops a field it does not know instead of
 * failing on it.
 */

export function resultOf<S extends z.ZodType>(schema: S) {
  return z.object({ result: schema });
}

export function pageOf<S extends z.ZodType>(row: S) {
  return z.object({ result: z.array(row) });
}

/** `limit` and `offset`, as every admin list takes them. */
export const pageParams = {
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
};

/** A query flag, as query strings carry booleans. */
export const queryFlag = z.enum(['true', 'false']);

/** The same flag, read as a boolean. */
export const booleanQueryFlag = queryFlag.transform((value) => value === 'true');

/** Who wrote a stored record, and when (`YYYY-MM-DD HH:mm:ss`, UTC). */
export const auditFields = {
  sys_created_on: z.string(),
  sys_created_by: z.string(),
  sys_updated_on: z.string(),
  sys_updated_by: z.string(),
};
