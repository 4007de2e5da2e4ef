/** A select of a rule's values, each shown by its label: a field's direction or its "sync when". */
export function ChoiceSelect<V extends string>({ label, values, labels, value, disabled, onChange }: { label: string; values: readonly V[]; labels: Record<V, string>; value: V; disabled?: boolean; onChange: (value: V) => void }) {
  return (
    <select aria-label={label} value={value} disabled={disabled} onChange={(event) => onChange(event.target.value as V)}>
      {values.map((one) => (
        <option key={one} value={one}>
          {labels[one]}
        </option>
      ))}
    </select>
  );
}
