import { nodeCatalog, type AnyNodeDefinition } from '@lockstep/flow/catalog';

/** The node types a designer may add whose label, type, category or description has every word searched for. Start is never added twice. */
export function searchCatalog(search: string): AnyNodeDefinition[] {
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  return nodeCatalog.filter((definition) => {
    const text = `${definition.label} ${definition.type} ${definition.category} ${definition.description}`.toLowerCase();
    return definition.type !== 'flow.start' && words.every((word) => text.includes(word));
  });
}
