import { splitAtPills } from '@lockstep/flow/catalog';
import { useId, useRef, useState } from 'react';
import type { DataPill } from './data-pills';
import { PillPicker } from './pill-picker';

/** A value a field offers as it is typed in, with what it is called. */
export interface Suggestion {
  value: string;
  label: string;
}

/**
 * A text param that may hold `{{ expression }}` data pills. The { } button
 * opens the picker and inserts the chosen pill where the cursor is; the pills
 * in the text show as chips underneath.
 */
export function ExpressionInput({
  value,
  onChange,
  pills,
  disabled,
  label,
  placeholder,
  suggestions = [],
}: {
  value: string;
  onChange: (value: string) => void;
  pills: readonly DataPill[];
  disabled?: boolean;
  label: string;
  placeholder?: string;
  /** Offered in the browser's own list as the field is typed in. */
  suggestions?: readonly Suggestion[];
}) {
  const input = useRef<HTMLInputElement>(null);
  const listId = useId();
  const [picking, setPicking] = useState(false);
  const used = splitAtPills(value).filter((_part, index) => index % 2 === 1);

  const insert = (pill: DataPill) => {
    const at = input.current?.selectionStart ?? value.length;
    const end = input.current?.selectionEnd ?? at;
    onChange(`${value.slice(0, at)}{{ ${pill.expression} }}${value.slice(end)}`);
    setPicking(false);
    input.current?.focus();
  };

  return (
    <div className="expression-input">
      <div className="expression-row">
        <input
          ref={input}
          aria-label={label}
          value={value}
          placeholder={placeholder}
          disabled={disabled}
          list={suggestions.length > 0 ? listId : undefined}
          onChange={(event) => onChange(event.target.value)}
        />
        {suggestions.length > 0 && (
          <datalist id={listId}>
            {suggestions.map((suggestion) => (
              <option key={suggestion.value} value={suggestion.value}>
                {suggestion.label}
              </option>
            ))}
          </datalist>
        )}
        {!disabled && (
          <button type="button" className="pill-button" title="Insert a data pill" aria-label={`Insert a data pill into ${label}`} onClick={() => setPicking(!picking)}>
            {'{ }'}
          </button>
        )}
      </div>
      {used.length > 0 && (
        <div className="pills-used">
          {used.map((expression, index) => (
            <span key={index} className="pill static">
              {expression}
            </span>
          ))}
        </div>
      )}
      {picking && <PillPicker pills={pills} onPick={insert} onClose={() => setPicking(false)} />}
    </div>
  );
}
