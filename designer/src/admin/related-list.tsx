import { useState, type ReactNode } from 'react';
import { ConfirmDialog } from '../console/confirm-dialog';
import type { Column } from '../console/paged-table';
import { ProblemNotice } from '../console/problem-notice';
import { useAction } from '../console/use-action';

/**
 * One related list under a process sync definition, as the original's form
 * shows them: its records with their domain (always the definition's), a New
 * button, Edit where the list's records are changed in place, and Delete with
 * a confirmation (the runtime refuses one that others still point at, and
 * says which).
 */
export function RelatedList<T extends { sys_id: string; sys_domain: string }>({
  title,
  rows,
  columns,
  onNew,
  newLabel = 'New',
  onEdit,
  describe,
  onDelete,
}: {
  title: string;
  rows: readonly T[];
  columns: readonly Column<T>[];
  onNew: () => void;
  newLabel?: string;
  onEdit?: (row: T) => void;
  describe: (row: T) => string;
  onDelete: (row: T) => Promise<void>;
}) {
  const [deleting, setDeleting] = useState<T | null>(null);
  const { error, run } = useAction();
  const shown: readonly Column<T>[] = [...columns, { header: 'Domain', cell: (row) => row.sys_domain }];

  const remove = (row: T) => {
    setDeleting(null);
    void run('delete', () => onDelete(row));
  };

  return (
    <div className="card related-list" data-related={title}>
      <div className="list-head">
        <h2>
          {title} <span className="muted">({rows.length})</span>
        </h2>
        <button type="button" onClick={onNew}>
          {newLabel}
        </button>
      </div>
      <ProblemNotice error={error} context="Not deleted" />
      <table aria-label={title}>
        <thead>
          <tr>
            {shown.map((column) => (
              <th key={column.header}>{column.header}</th>
            ))}
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.sys_id} data-row={row.sys_id}>
              {shown.map((column) => (
                <td key={column.header}>{column.cell(row) as ReactNode}</td>
              ))}
              <td className="row-actions">
                {onEdit && (
                  <button type="button" className="small" onClick={() => onEdit(row)}>
                    Edit
                  </button>
                )}
                <button type="button" className="danger small" onClick={() => setDeleting(row)}>
                  Delete
                </button>
              </td>
            </tr>
          ))}
          {rows.length === 0 && (
            <tr>
              <td colSpan={shown.length + 1} className="muted empty">
                None yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {deleting !== null && (
        <ConfirmDialog title={`Delete from ${title.toLowerCase()}?`} confirm="Delete" onConfirm={() => remove(deleting)} onCancel={() => setDeleting(null)}>
          <p>{describe(deleting)} will be deleted. This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
