import { createHash, randomUUID } from 'node:crypto';

/**
 * A new document id: 32 lower-case hex characters, the shape of the original's
 * sys_id, so a record's `_id` and its `sys_id` can be one value.
 */
export function newId(): string {
  return randomUUID().replaceAll('-', '');
}

export const idPattern = /^[0-9a-f]{32}$/;

/**
 * An id of newId's shape that the same salt and parts always give, so that
 * writing one thing twice (a step redone, two runs racing) meets the same
 * document. Stored documents carry these ids: the string hashed must not change.
 */
export function derivedId(salt: string, ...parts: string[]): string {
  return createHash('sha256').update([salt, ...parts].join(':')).digest('hex').slice(0, 32);
}

/** The document as stored: both adapters give an id-less document a generated string id, never a driver's ObjectId. */
export function withId<T extends { _id?: string }>(doc: T): T & { _id: string } {
  return { ...doc, _id: doc._id ?? newId() };
}
