import { nodeCategories } from '@lockstep/flow/catalog';
import { useState, type DragEvent } from 'react';
import { searchCatalog } from './catalog-search';
import { categoryStyle } from './category-style';

/** The drag payload type, so the canvas ignores files and text dropped on it. */
export const STEP_DRAG_TYPE = 'application/x-lockstep-step';

/** The node catalog, grouped by category and searchable; drag a type onto the canvas, or double-click to add it. */
export function Palette({ onAdd }: { onAdd: (type: string) => void }) {
  const [search, setSearch] = useState('');
  const matches = searchCatalog(search);

  const startDrag = (event: DragEvent, type: string) => {
    event.dataTransfer.setData(STEP_DRAG_TYPE, type);
    event.dataTransfer.effectAllowed = 'move';
  };

  return (
    <aside className="palette" aria-label="Node palette">
      <input className="palette-search" type="search" placeholder="Search nodes…" value={search} onChange={(event) => setSearch(event.target.value)} />
      {nodeCategories.map((category) => {
        const items = matches.filter((definition) => definition.category === category);
        if (items.length === 0) return null;
        const style = categoryStyle(category);
        return (
          <section key={category} className="palette-group">
            <h3>{category}</h3>
            {items.map((definition) => (
              <div
                key={definition.type}
                className="palette-item"
                draggable
                data-node-type={definition.type}
                title={definition.description}
                onDragStart={(event) => startDrag(event, definition.type)}
                onDoubleClick={() => onAdd(definition.type)}
              >
                <span className="step-icon small" style={{ background: style.color }}>
                  {style.icon}
                </span>
                <span>
                  <strong>{definition.label}</strong>
                  <small>{definition.description}</small>
                </span>
              </div>
            ))}
          </section>
        );
      })}
      {matches.length === 0 && <p className="muted">No node matches “{search}”.</p>}
    </aside>
  );
}
