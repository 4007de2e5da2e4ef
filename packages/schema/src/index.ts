export * from './dictionary.js';
export * from './problem.js';
export * from './users.js';
