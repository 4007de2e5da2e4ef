/*
 * What storage fails with, in its own words. The store and the stores built
 * on it know nothing of HTTP: the API's error handler maps these to
 * problem+json (http/error-handler.ts), and a flow step or a queue worker
 * catches them as what they are.
 */

/** A failure of storage that a caller may act on, rather than a broken store. */
export abstract class StoreError extends Error {}

/** A write broke a unique index. */
export class DuplicateKeyError extends StoreError {
  override readonly name = 'DuplicateKeyError';
  constructor(
    readonly collection: string,
    /** The offending key, as far as the driver reports it. */
    readonly key: Record<string, unknown> | string | undefined,
    options?: { cause?: unknown },
  ) {
    super(`duplicate key in ${collection}${key === undefined ? '' : `: ${JSON.stringify(key)}`}`, options);
  }
}

/**
 * A read-then-write lost its compare-and-set to other writers of the same
 * document every time it tried: too many writes to it at once. Nothing was
 * written; trying again later may succeed.
 */
export class WriteConflictError extends StoreError {
  override readonly name = 'WriteConflictError';
  constructor(
    /** What was being written, e.g. `the incident record <sys_id>`. */
    readonly what: string,
    readonly attempts: number,
  ) {
    super(`${what} changed under ${attempts} attempts in a row to write it; too many writes to it at once`);
  }
}
