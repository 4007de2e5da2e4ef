import { createContext, useContext } from 'react';
import type { StepRecord } from '../api/contexts';
import type { Finding } from '../api/subflows';

/**
 * What the canvas shows on top of the graph: validation findings and a run's
 * step statuses. Kept out of node data so they never enter undo history or a save.
 */
export interface Decorations {
  findingsByNode: ReadonlyMap<string, Finding[]>;
  steps: Readonly<Record<string, StepRecord>> | null;
}

export const DecorationsContext = createContext<Decorations>({ findingsByNode: new Map(), steps: null });

export function useDecorations(): Decorations {
  return useContext(DecorationsContext);
}

export function groupByNode(findings: readonly Finding[]): Map<string, Finding[]> {
  const grouped = new Map<string, Finding[]>();
  for (const finding of findings) {
    if (finding.nodeId === undefined) continue;
    grouped.set(finding.nodeId, [...(grouped.get(finding.nodeId) ?? []), finding]);
  }
  return grouped;
}
