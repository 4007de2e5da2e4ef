import type { ReactNode } from 'react';
import type { Page } from '../api/paged';
import { ProblemNotice } from './problem-notice';
import type { Loaded } from './use-api';

export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
}

/**
 * A page of a list as a table, with its failure, its loading state and a
 * pager: one piece for the queues, the flow contexts and the records.
 */
export function PagedTable<T>({
  label,
  loaded,
  columns,
  rowKey,
  offset,
  limit,
  onOffset,
  empty,
}: {
  label: string;
  loaded: Loaded<Page<T>>;
  columns: readonly Column<T>[];
  rowKey: (row: T) => string;
  offset: number;
  limit: number;
  onOffset: (offset: number) => void;
  empty: string;
}) {
  const page = loaded.value;
  return (
    <div className="paged-table">
      <ProblemNotice error={loaded.error} />
      {page === null ? (
        loaded.error === null && <p className="muted">Loading…</p>
      ) : (
        <>
          <table aria-label={label} data-total={page.total}>
            <thead>
              <tr>
                {columns.map((column) => (
                  <th key={column.header}>{column.header}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {page.rows.map((row) => (
                <tr key={rowKey(row)} data-row={rowKey(row)}>
                  {columns.map((column) => (
                    <td key={column.header}>{column.cell(row)}</td>
                  ))}
                </tr>
              ))}
              {page.rows.length === 0 && (
                <tr>
                  <td colSpan={columns.length} className="muted empty">
                    {empty}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
          <Pager offset={offset} limit={limit} shown={page.rows.length} total={page.total} onOffset={onOffset} />
        </>
      )}
    </div>
  );
}

function Pager({ offset, limit, shown, total, onOffset }: { offset: number; limit: number; shown: number; total: number; onOffset: (offset: number) => void }) {
  return (
    <div className="pager">
      <span className="muted" aria-live="polite">
        {total === 0 ? 'None' : `${offset + 1}–${offset + shown} of ${total}`}
      </span>
      <button type="button" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - limit))}>
        Previous
      </button>
      <button type="button" disabled={offset + shown >= total} onClick={() => onOffset(offset + limit)}>
        Next
      </button>
    </div>
  );
}
