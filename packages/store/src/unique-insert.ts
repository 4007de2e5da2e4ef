import { DuplicateKeyError, type Collection, type NewDocument, type StoredDocument } from './port.js';

/**
 * Inserts `doc` and tells whether this insert was the first with its unique
 * key: false when another writer's, in this process or another, got there
 * first. A unique insert is the one write every store does atomically for
 * all writers of the database, FerretDB v1 included, so it is what decides
 * who takes a number or a claim.
 */
export async function insertedFirst<T extends StoredDocument>(collection: Pick<Collection<T>, 'insertOne'>, doc: NewDocument<T>): Promise<boolean> {
  try {
    await collection.insertOne(doc);
    return true;
  } catch (error) {
    if (error instanceof DuplicateKeyError) return false;
    throw error;
  }
}
