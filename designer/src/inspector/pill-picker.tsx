import { useState } from 'react';
import type { DataPill } from './data-pills';

/** The data pills a param may use, grouped by where they come from; choosing one inserts it. */
export function PillPicker({ pills, onPick, onClose }: { pills: readonly DataPill[]; onPick: (pill: DataPill) => void; onClose: () => void }) {
  const [search, setSearch] = useState('');
  const shown = pills.filter((pill) => `${pill.source} ${pill.expression}`.toLowerCase().includes(search.toLowerCase()));
  const sources = [...new Set(shown.map((pill) => pill.source))];
  return (
    <div className="pill-picker" role="listbox" aria-label="Data pills" onKeyDown={(event) => event.key === 'Escape' && onClose()}>
      <input type="search" placeholder="Find data…" value={search} onChange={(event) => setSearch(event.target.value)} autoFocus />
      {sources.map((source) => (
        <div key={source} className="pill-group">
          <h4>{source}</h4>
          {shown
            .filter((pill) => pill.source === source)
            .map((pill) => (
              <button key={pill.expression} type="button" role="option" aria-selected={false} className="pill" onMouseDown={(event) => event.preventDefault()} onClick={() => onPick(pill)}>
                {pill.expression}
              </button>
            ))}
        </div>
      ))}
      {shown.length === 0 && <p className="muted">No data here yet: connect earlier steps, or declare inputs.</p>}
    </div>
  );
}
