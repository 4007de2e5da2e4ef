/*
 * `@lockstep/store`: the document store port the runtime writes through, its
 * two adapters (embedded NeDB files, MongoDB or FerretDB) and what they share.
 * It knows nothing of HTTP, tables or sync: what it fails with is its own
 * (store-errors.ts).
 */
export * from './port.js';
export * from './store-errors.js';
export * from './ids.js';
export * from './open-store.js';
export * from './embedded.js';
export * from './mongodb.js';
export * from './mongodb-uri.js';
export * from './read-cache.js';
export * from './unique-insert.js';
export * from './escape-regexp.js';
export * from './lifted-filter.js';
export * from './embedded-query.js';
export * from './write-lock.js';
export * from './document-cache.js';
export * from './by-id-alone.js';
