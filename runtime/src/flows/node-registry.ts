import { nodeCatalog, type NodeImplementation, type NodeRegistry } from '@lockstep/flow';

/**
 * The implementations the runtime binds, as the runner takes them. Their
 * type already makes a missing catalog node a compile error; this also
 * refuses, at start, a registry whose object was cast past that check,
 * naming what is missing: a designer could otherwise publish a flow that
 * fails at its first run.
 */
export function nodeRegistry(registry: NodeRegistry): NodeImplementation[] {
  const bound: Record<string, NodeImplementation | undefined> = registry;
  const problems = [
    ...nodeCatalog.filter(({ type }) => bound[type] === undefined).map(({ type }) => `${type} has no implementation`),
    ...Object.entries(bound)
      .filter(([type, implementation]) => implementation !== undefined && implementation.definition.type !== type)
      .map(([type, implementation]) => `${type} is bound to the implementation of ${implementation?.definition.type}`),
    ...Object.keys(bound).filter((type) => !nodeCatalog.some((definition) => definition.type === type)).map((type) => `${type} is not in the node catalog`),
  ];
  if (problems.length > 0) {
    throw new Error(`the node registry does not match the catalog: ${problems.join('; ')}; bind each catalog node once, under its type, where the flow engine builds its registry`);
  }
  return Object.values(registry);
}
