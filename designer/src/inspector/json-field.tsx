import { useState } from 'react';

/** Structured params no dedicated widget covers (notification channels, attachment lists), edited as JSON. */
export function JsonField({ value, onChange, disabled, label }: { value: unknown; onChange: (value: unknown) => void; disabled: boolean; label: string }) {
  const [text, setText] = useState(() => (value === undefined ? '' : JSON.stringify(value, null, 2)));
  const [error, setError] = useState<string | null>(null);
  const edit = (next: string) => {
    setText(next);
    if (next.trim() === '') {
      setError(null);
      onChange(undefined);
      return;
    }
    try {
      onChange(JSON.parse(next));
      setError(null);
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  return (
    <>
      <textarea className="json" aria-label={label} rows={5} value={text} disabled={disabled} spellCheck={false} onChange={(event) => edit(event.target.value)} />
      {error !== null && <p className="field-error">Not JSON yet: {error}</p>}
    </>
  );
}
