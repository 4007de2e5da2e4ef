import type { ReactNode } from 'react';
import { hrefOf } from '../route';

export interface ToolbarProps {
  title: string;
  /** Draft, version or run, as a badge. */
  state: ReactNode;
  readOnly: boolean;
  dirty: boolean;
  busy: boolean;
  errors: number;
  canUndo: boolean;
  canRedo: boolean;
  onUndo: () => void;
  onRedo: () => void;
  onLayout: () => void;
  onSave: () => void;
  onPublish: () => void;
  /** Absent where a run is being shown rather than started. */
  onTestRun?: () => void;
  /** Beside Publish while it is off: which error stops it. */
  publishBlocker?: ReactNode;
  /** Shown on the right: history, copy, and so on. */
  children?: ReactNode;
}

export function Toolbar(props: ToolbarProps) {
  const publishBlocked = props.errors > 0 ? `Fix the ${props.errors} error${props.errors === 1 ? '' : 's'} first` : undefined;
  return (
    <div className="toolbar" role="toolbar" aria-label="Editor">
      <a href={hrefOf({ page: 'list' })} className="back" aria-label="Back to subflows">
        ←
      </a>
      <strong className="title">{props.title}</strong>
      {props.state}
      {props.dirty && <span className="unsaved">unsaved changes</span>}
      <span className="spacer" />
      {!props.readOnly && (
        <>
          <button type="button" onClick={props.onUndo} disabled={!props.canUndo} title="Undo (Ctrl+Z)">
            Undo
          </button>
          <button type="button" onClick={props.onRedo} disabled={!props.canRedo} title="Redo (Ctrl+Shift+Z)">
            Redo
          </button>
          <button type="button" onClick={props.onLayout} title="Auto-layout (Shift+L)">
            Tidy up
          </button>
          <button type="button" onClick={props.onSave} disabled={props.busy} title="Save the draft (Ctrl+S)">
            Save
          </button>
          {props.publishBlocker}
          <button type="button" className="primary" onClick={props.onPublish} disabled={props.busy || publishBlocked !== undefined} title={publishBlocked ?? 'Publish a new version'}>
            Publish
          </button>
        </>
      )}
      {props.onTestRun && (
        <button type="button" onClick={props.onTestRun} disabled={props.busy || props.errors > 0} title={publishBlocked ?? 'Run with sample inputs'}>
          Test run
        </button>
      )}
      {props.children}
    </div>
  );
}
