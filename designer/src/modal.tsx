import type { FormEvent, ReactNode } from 'react';

/**
 * A dialog with a form: Cancel and a confirming submit button; a click
 * outside cancels. It fits the viewport: a long form scrolls between the
 * title and the actions, which stay in view.
 */
export function Modal({ title, confirm, wide, onSubmit, onCancel, children }: { title: string; confirm: string; wide?: boolean; onSubmit: () => void; onCancel: () => void; children: ReactNode }) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <div className="modal-backdrop" onMouseDown={onCancel}>
      <form className={`modal ${wide ? 'wide' : ''}`} role="dialog" aria-label={title} onSubmit={submit} onMouseDown={(event) => event.stopPropagation()}>
        <h2>{title}</h2>
        <div className="modal-body">{children}</div>
        <div className="modal-actions">
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="primary">
            {confirm}
          </button>
        </div>
      </form>
    </div>
  );
}
