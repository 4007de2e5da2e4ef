import type { FlowContext } from '../api/contexts';
import { JsonView } from '../console/json-view';
import { hrefOf } from '../route';
import { dryRunEnvelopes } from './dry-run-envelopes';

/** The run shown on the canvas: how it ended, a link to its flow context, and in a dry run the envelopes Send would have sent. */
export function RunBanner({ run, onClose }: { run: FlowContext; onClose?: () => void }) {
  const steps = Object.values(run.steps);
  const failed = steps.filter((step) => step.status === 'failed').length;
  const envelopes = dryRunEnvelopes(run);
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
      {envelopes.map(({ nodeId, envelope }) => (
        <details key={nodeId} className="dry-run-envelope" open>
          <summary>
            <span className="badge">Dry run</span> nothing was sent: this is the envelope {nodeId} would have sent
          </summary>
          <JsonView label="Envelope Send would have sent" value={envelope} />
        </details>
      ))}
    </div>
  );
}
