export * from './condition.js';
export * from './dictionary.js';
export * from './problem.js';
export * from './subflow.js';
export * from './users.js';
export * from './sync-config.js';
export * from './sync-envelope.js';
export * from './attachments.js';
