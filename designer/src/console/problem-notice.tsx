import { ApiProblem } from '../api/client';
import { RequestTimeout } from '../api/timeout';

/** What to do about a failure the runtime did not explain: it could not be reached, did not answer, or answered something unexpected. */
function unexplained(error: unknown): { title: string; detail: string } {
  if (error instanceof TypeError) return { title: 'The runtime could not be reached', detail: `${error.message}. Check that the instance is running, then try again.` };
  if (error instanceof RequestTimeout) return { title: 'The runtime did not answer', detail: `It took the request but gave no answer in ${error.seconds} s. Check that the instance is running and not overloaded, then try again.` };
  return { title: 'Something went wrong', detail: `${(error as Error).message ?? String(error)}. Reload the page; if it happens again, the runtime's log names the request.` };
}

/**
 * An error as the console shows it: the problem's title and detail, and
 * each finding of its errors list, so nothing the runtime said is lost.
 */
export function ProblemNotice({ error, context }: { error: unknown; context?: string }) {
  if (error === null || error === undefined) return null;
  const problem = error instanceof ApiProblem ? error.problem : null;
  const { title, detail } = problem ?? unexplained(error);
  return (
    <div className="problem" role="alert" data-problem-status={problem?.status}>
      <strong>
        {context !== undefined && `${context}: `}
        {title}
        {problem !== null && <span className="muted"> ({problem.status})</span>}
      </strong>
      <p>{detail}</p>
      {problem?.errors !== undefined && (
        <ul>
          {problem.errors.map((finding, index) => (
            <li key={index}>
              <code>{finding.path}</code> {finding.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
