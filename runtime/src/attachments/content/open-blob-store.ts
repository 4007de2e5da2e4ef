import { databaseNameFromUri, type StoreOptions } from '@lockstep/store';
import type { BlobStore } from './blob-store.js';
import { openFileBlobs } from './file-blobs.js';
import { openGridFsBlobs } from './gridfs-blobs.js';

/** Attachment content beside the records: files with the embedded store, GridFS in the same database with MongoDB. */
export function openBlobStore({ dataDir, mongodbUri, databaseName }: StoreOptions): Promise<BlobStore> {
  if (mongodbUri === undefined) return openFileBlobs(dataDir);
  return openGridFsBlobs(mongodbUri, databaseName ?? databaseNameFromUri(mongodbUri) ?? 'lockstep');
}
