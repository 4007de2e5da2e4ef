import { useState } from 'react';
import { searchCatalog } from './catalog-search';
import { categoryStyle } from './category-style';

/** Where an edge was dropped on empty canvas: the port it came from, and the spot, on screen and in the flow. */
export interface QuickAddSpot {
  source: string;
  port: string;
  /** Relative to the canvas element, for placing this menu. */
  menu: { x: number; y: number };
  flow: { x: number; y: number };
}

/** As in n8n: drop an edge on empty canvas, pick a node type, and it is added there already connected. */
export function QuickAdd({ spot, onPick, onClose }: { spot: QuickAddSpot; onPick: (type: string) => void; onClose: () => void }) {
  const [search, setSearch] = useState('');
  const matches = searchCatalog(search).slice(0, 8);
  return (
    <div className="quick-add" style={{ left: spot.menu.x, top: spot.menu.y }} role="dialog" aria-label="Add a connected node" onMouseDown={(event) => event.stopPropagation()}>
      <input
        type="search"
        placeholder={`Add after ${spot.source} (${spot.port})…`}
        value={search}
        autoFocus
        onChange={(event) => setSearch(event.target.value)}
        onBlur={onClose}
        onKeyDown={(event) => {
          if (event.key === 'Escape') onClose();
          if (event.key === 'Enter' && matches[0]) onPick(matches[0].type);
        }}
      />
      {matches.map((definition) => (
        <button key={definition.type} type="button" className="quick-add-item" onMouseDown={(event) => event.preventDefault()} onClick={() => onPick(definition.type)}>
          <span className="step-icon small" style={{ background: categoryStyle(definition.category).color }}>
            {categoryStyle(definition.category).icon}
          </span>
          {definition.label}
        </button>
      ))}
    </div>
  );
}
