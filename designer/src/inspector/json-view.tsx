import { useState } from 'react';
import type { ParamProblem } from './param-problems';

/**
 * A param as JSON, for pasting or editing in one go. Each edit that parses
 * takes effect at once and is checked against the node's params schema; text
 * that does not parse yet changes nothing.
 */
export function JsonView({
  label,
  value,
  onChange,
  check,
  disabled,
}: {
  label: string;
  value: unknown;
  onChange: (value: unknown) => void;
  check: (value: unknown) => ParamProblem[];
  disabled: boolean;
}) {
  const [text, setText] = useState(() => (value === undefined ? '' : JSON.stringify(value, null, 2)));
  const [syntax, setSyntax] = useState<string | null>(null);
  const edit = (next: string) => {
    setText(next);
    if (next.trim() === '') {
      setSyntax(null);
      onChange(undefined);
      return;
    }
    try {
      onChange(JSON.parse(next));
      setSyntax(null);
    } catch (failure) {
      setSyntax((failure as Error).message);
    }
  };
  const problems = syntax === null ? check(value) : [];
  return (
    <div className="json-view">
      <textarea className="json" aria-label={`${label} as JSON`} rows={Math.min(14, Math.max(4, text.split('\n').length))} value={text} disabled={disabled} spellCheck={false} onChange={(event) => edit(event.target.value)} />
      {syntax !== null && <p className="field-error">Not JSON yet, so not applied: {syntax}</p>}
      {syntax === null && problems.length === 0 && <p className="schema-check ok">Fits the {label} schema.</p>}
      {problems.length > 0 && (
        <ul className="schema-check" aria-label={`${label} schema check`}>
          {problems.map((problem) => (
            <li key={`${problem.path}:${problem.message}`} className="field-error">
              <code>{problem.path}</code> {problem.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
