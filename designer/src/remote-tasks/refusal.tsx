import { ProblemNotice } from '../console/problem-notice';
import { nextStepFor } from './next-step';

/** A failed remote task call: what the runtime (or the provider through it) said, and what to do next when that is known. */
export function Refusal({ error, context }: { error: unknown; context?: string }) {
  const next = nextStepFor(error);
  return (
    <>
      <ProblemNotice error={error} context={context} />
      {next !== null && (
        <p className="next-step" data-next-step>
          <strong>What to do:</strong> {next}
        </p>
      )}
    </>
  );
}
