import { variableTypes, type SubflowGraph, type SubflowVariable } from '@lockstep/schema';

/** A subflow's own settings: everything in the graph but its nodes and edges. */
export type SubflowMeta = Omit<SubflowGraph, 'nodes' | 'edges'>;

/** Shown when no node is selected: name, description, and the inputs and outputs the subflow declares. */
export function SubflowSettings({ meta, onChange, disabled }: { meta: SubflowMeta; onChange: (meta: SubflowMeta) => void; disabled: boolean }) {
  return (
    <div className="subflow-settings">
      <label className="field-label">Name</label>
      <input aria-label="Subflow name" value={meta.name} maxLength={120} disabled={disabled} onChange={(event) => onChange({ ...meta, name: event.target.value })} />
      <label className="field-label">Description</label>
      <textarea aria-label="Subflow description" rows={3} value={meta.description} disabled={disabled} onChange={(event) => onChange({ ...meta, description: event.target.value })} />
      <p className="muted">Kind: {meta.kind}</p>
      <h3>Inputs</h3>
      <Variables label="input" variables={meta.inputs} disabled={disabled} onChange={(inputs) => onChange({ ...meta, inputs })} />
      <h3>Outputs</h3>
      <Variables label="output" variables={meta.outputs} disabled={disabled} onChange={(outputs) => onChange({ ...meta, outputs })} />
    </div>
  );
}

function Variables({ label, variables, onChange, disabled }: { label: string; variables: SubflowVariable[]; onChange: (variables: SubflowVariable[]) => void; disabled: boolean }) {
  const set = (index: number, patch: Partial<SubflowVariable>) => onChange(variables.map((variable, at) => (at === index ? { ...variable, ...patch } : variable)));
  return (
    <div className="variables">
      {variables.map((variable, index) => (
        <div key={index} className="variable-row">
          <input aria-label={`${label} ${index + 1} name`} value={variable.name} disabled={disabled} onChange={(event) => set(index, { name: event.target.value })} />
          <select aria-label={`${label} ${index + 1} type`} value={variable.type} disabled={disabled} onChange={(event) => set(index, { type: event.target.value as SubflowVariable['type'] })}>
            {variableTypes.map((type) => (
              <option key={type}>{type}</option>
            ))}
          </select>
          <label className="check">
            <input type="checkbox" checked={variable.required} disabled={disabled} onChange={(event) => set(index, { required: event.target.checked })} />
            required
          </label>
          {!disabled && (
            <button type="button" className="icon" aria-label={`Remove ${variable.name}`} onClick={() => onChange(variables.filter((_variable, at) => at !== index))}>
              ×
            </button>
          )}
        </div>
      ))}
      {!disabled && (
        <button type="button" className="small" onClick={() => onChange([...variables, { name: `${label}_${variables.length + 1}`, label: '', type: 'string', required: false, description: '' }])}>
          + Add {label}
        </button>
      )}
    </div>
  );
}
