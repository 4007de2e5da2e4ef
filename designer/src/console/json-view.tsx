/** A JSON value, pretty-printed; JSON text is parsed first so that it reads the same. */
export function JsonView({ value, label }: { value: unknown; label: string }) {
  let shown = value;
  if (typeof value === 'string') {
    try {
      shown = JSON.parse(value);
    } catch {
      shown = value;
    }
  }
  return (
    <pre className="json-view" aria-label={label}>
      {typeof shown === 'string' ? shown : JSON.stringify(shown, null, 2)}
    </pre>
  );
}
