import { nodeCatalog, type NodeImplementation } from '@lockstep/flow';

/**
 * The implementations the runtime binds, checked against the catalog the
 * designer offers: a node type without one would let a designer publish a
 * flow that fails at its first run, so the runtime refuses to start instead,
 * naming what is missing. One bound twice, or to a type the catalog does
 * not have, is refused the same way.
 */
export function nodeRegistry(implementations: readonly NodeImplementation[]): NodeImplementation[] {
  const counts = new Map<string, number>();
  for (const { definition } of implementations) counts.set(definition.type, (counts.get(definition.type) ?? 0) + 1);
  const problems = [
    ...nodeCatalog.filter((definition) => !counts.has(definition.type)).map((definition) => `${definition.type} has no implementation`),
    ...[...counts].filter(([, count]) => count > 1).map(([type]) => `${type} is implemented more than once`),
    ...[...counts.keys()].filter((type) => !nodeCatalog.some((definition) => definition.type === type)).map((type) => `${type} is not in the node catalog`),
  ];
  if (problems.length > 0) {
    throw new Error(`the node registry does not match the catalog: ${problems.join('; ')}; bind each catalog node once (implement(definition, run)) where the runtime wires its actions`);
  }
  return [...implementations];
}
