/**
 * `@lockstep/flow/catalog`: what the designer needs from the engine, and
 * nothing that pulls Node-only modules into a browser bundle (the runner and
 * the action implementations stay behind the main entry).
 */
export * from './catalog.js';
export * from './node-definition.js';
export * from './expressions/pills.js';
export * from './conditions/describe.js';
export * from './validation/index.js';
