import type { FlowContext } from '../api/contexts';
import { hrefOf } from '../route';

/** The run shown on the canvas: how it ended, and a link to its flow context. */
export function RunBanner({ run, onClose }: { run: FlowContext; onClose?: () => void }) {
  const steps = Object.values(run.steps);
  const failed = steps.filter((step) => step.status === 'failed').length;
  return (
    <div className={`banner run run-${run.status}`} role="status" data-run-status={run.status}>
      <strong>Run {run.status}</strong> · {steps.length} step{steps.length === 1 ? '' : 's'}
      {failed > 0 && `, ${failed} failed`}
      {run.error !== null && ` · ${run.error.message}`} · select a step to see its input and output ·{' '}
      <a href={hrefOf({ page: 'context', contextId: run.sys_id })}>flow context {run.sys_id}</a>
      {onClose && (
        <button type="button" className="icon" aria-label="Hide the run" onClick={onClose}>
          ×
        </button>
      )}
    </div>
  );
}
