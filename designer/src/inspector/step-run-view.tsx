import type { StepRecord } from '../api/contexts';

/** What a node did in the run being shown: its status, and the input it resolved and the output it gave. */
export function StepRunView({ step }: { step: StepRecord | undefined }) {
  if (step === undefined) return <p className="muted">This step did not run.</p>;
  return (
    <div className="step-run" data-step-run={step.node_id}>
      <p>
        <span className={`badge run-${step.status}`}>{step.status}</span>
        {step.duration_ms !== null && <span className="muted"> in {step.duration_ms} ms</span>}
        {step.execution > 1 && <span className="muted">, execution {step.execution}</span>}
        {step.attempt > 1 && <span className="muted">, attempt {step.attempt}</span>}
      </p>
      {step.error !== null && <p className="field-error">{step.error}</p>}
      <h4>Input</h4>
      <pre aria-label="Step input">{JSON.stringify(step.input, null, 2)}</pre>
      <h4>Output</h4>
      <pre aria-label="Step output">{JSON.stringify(step.output, null, 2) ?? '—'}</pre>
    </div>
  );
}
