import { useState } from 'react';
import type { DataPill } from './data-pills';

/** Whether a pill has every word searched for, in its expression or where it comes from: `correlation state` finds `steps.lookup.correlation.state`. */
function matches(pill: DataPill, search: string): boolean {
  const text = `${pill.source} ${pill.expression}`.toLowerCase();
  return search.toLowerCase().split(/\s+/).every((word) => text.includes(word));
}

/**
 * The data pills a param may use, grouped by where they come from, nested
 * fields under their parents; searching narrows them, and choosing one inserts it.
 */
export function PillPicker({ pills, onPick, onClose }: { pills: readonly DataPill[]; onPick: (pill: DataPill) => void; onClose: () => void }) {
  const [search, setSearch] = useState('');
  const shown = pills.filter((pill) => matches(pill, search));
  const sources = [...new Set(shown.map((pill) => pill.source))];
  return (
    <div className="pill-picker" role="listbox" aria-label="Data pills" onKeyDown={(event) => event.key === 'Escape' && onClose()}>
      <input type="search" aria-label="Find data" placeholder="Find data, e.g. correlation state…" value={search} onChange={(event) => setSearch(event.target.value)} autoFocus />
      {sources.map((source) => (
        <div key={source} className="pill-group">
          <h4>{source}</h4>
          {shown
            .filter((pill) => pill.source === source)
            .map((pill) => {
              const cut = pill.expression.lastIndexOf('.');
              return (
                <button key={pill.expression} type="button" role="option" aria-selected={false} className="pill" onMouseDown={(event) => event.preventDefault()} onClick={() => onPick(pill)}>
                  <span className="pill-parent">{pill.expression.slice(0, cut + 1)}</span>
                  <span className="pill-leaf">{pill.expression.slice(cut + 1)}</span>
                </button>
              );
            })}
        </div>
      ))}
      {shown.length === 0 && <p className="muted">{pills.length === 0 ? 'No data here yet: connect earlier steps, or declare inputs.' : `Nothing matches “${search}”.`}</p>}
    </div>
  );
}
