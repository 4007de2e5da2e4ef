import { nodeDefinition } from '@lockstep/flow/catalog';
import type { SubflowEdge, SubflowNode } from '@lockstep/schema';
import { useMemo } from 'react';
import type { StepRecord } from '../api/contexts';
import type { Finding } from '../api/subflows';
import { pillsFor } from './data-pills';
import { ParamsForm } from './params-form';
import { StepRunView } from './step-run-view';
import { StepTiming } from './step-timing';
import { SubflowSettings, type SubflowMeta } from './subflow-settings';

export interface InspectorProps {
  /** The one selected step, if exactly one is selected. */
  selected: SubflowNode | undefined;
  nodes: readonly SubflowNode[];
  edges: readonly SubflowEdge[];
  meta: SubflowMeta;
  findings: readonly Finding[];
  steps: Readonly<Record<string, StepRecord>> | null;
  readOnly: boolean;
  onStepChange: (id: string, change: Partial<SubflowNode>, mergeKey: string) => void;
  onMetaChange: (meta: SubflowMeta) => void;
}

/** The right-hand panel: the selected step's settings and run, or the subflow's settings when nothing is selected. */
export function Inspector({ selected, nodes, edges, meta, findings, steps, readOnly, onStepChange, onMetaChange }: InspectorProps) {
  const selectedId = selected?.id;
  // The walk over the step's ancestors is costly on a large graph; new findings and a run's progress re-render without changing it.
  const pills = useMemo(() => (selectedId === undefined ? [] : pillsFor(selectedId, { nodes, edges, inputs: meta.inputs, kind: meta.kind })), [selectedId, nodes, edges, meta.inputs, meta.kind]);
  if (selected === undefined) {
    return (
      <aside className="inspector" aria-label="Inspector">
        <h2>Subflow</h2>
        <SubflowSettings meta={meta} onChange={onMetaChange} disabled={readOnly} />
      </aside>
    );
  }
  const definition = nodeDefinition(selected.type);
  const mine = findings.filter((finding) => finding.nodeId === selected.id);
  const general = mine.filter((finding) => finding.path === undefined);
  return (
    <aside className="inspector" aria-label="Inspector" data-inspecting={selected.id}>
      <h2>{definition?.label ?? selected.type}</h2>
      <p className="muted">{definition?.description}</p>
      <label className="field-label">Label</label>
      <input aria-label="Step label" value={selected.label} disabled={readOnly} onChange={(event) => onStepChange(selected.id, { label: event.target.value }, `${selected.id}:label`)} />
      <p className="muted small">
        id <code>{selected.id}</code> · read it later as <code>steps.{selected.id}</code>
      </p>
      {general.map((finding, index) => (
        <p key={index} className={`field-error ${finding.severity}`}>
          {finding.message}
        </p>
      ))}
      {steps !== null && (
        <section className="inspector-run">
          <h3>Run</h3>
          <StepRunView step={steps[selected.id]} />
        </section>
      )}
      {definition && (
        <section>
          <h3>Settings</h3>
          <ParamsForm
            nodeId={selected.id}
            definition={definition}
            params={selected.params}
            pills={pills}
            findings={mine}
            disabled={readOnly}
            onChange={(key, value) => {
              const params = { ...selected.params };
              if (value === undefined) delete params[key];
              else params[key] = value;
              onStepChange(selected.id, { params }, `${selected.id}:params.${key}`);
            }}
          />
          <h3>Timing</h3>
          <StepTiming step={selected} definition={definition} disabled={readOnly} onChange={(change) => onStepChange(selected.id, change, `${selected.id}:timing`)} />
        </section>
      )}
    </aside>
  );
}
