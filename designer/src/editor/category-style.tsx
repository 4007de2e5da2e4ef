import type { NodeCategory } from '@lockstep/flow/catalog';
import type { ReactElement } from 'react';

/** Drawn rather than typed: icon fonts and symbol glyphs are missing on many systems. */
const icon = (path: string): ReactElement => (
  <svg viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
    <path d={path} />
  </svg>
);

/** How each palette group looks, so a glance at the canvas tells logic from record work from sync. */
const styles: Record<NodeCategory, { color: string; icon: ReactElement }> = {
  'Flow logic': { color: '#7c5cff', icon: icon('M6 3v12M18 9a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM6 21a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM18 9a9 9 0 0 1-9 9') },
  Records: { color: '#1f9d74', icon: icon('M4 6c0-1.7 3.6-3 8-3s8 1.3 8 3-3.6 3-8 3-8-1.3-8-3zM4 6v12c0 1.7 3.6 3 8 3s8-1.3 8-3V6M4 12c0 1.7 3.6 3 8 3s8-1.3 8-3') },
  Sync: { color: '#ff6d5a', icon: icon('M17 3l4 4-4 4M3 7h18M7 21l-4-4 4-4M21 17H3') },
  Notify: { color: '#e0a100', icon: icon('M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9M13.7 21a2 2 0 0 1-3.4 0') },
};

const unknown = { color: '#888', icon: icon('M9 9a3 3 0 1 1 4 2.8c-.6.3-1 .9-1 1.6V15M12 19h.01') };

export function categoryStyle(category: NodeCategory | undefined): { color: string; icon: ReactElement } {
  return category === undefined ? unknown : styles[category];
}
