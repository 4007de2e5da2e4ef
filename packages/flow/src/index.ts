export * from './catalog.js';
export * from './node-definition.js';
