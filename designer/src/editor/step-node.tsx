import { nodeDefinition, portsOf } from '@lockstep/flow/catalog';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { categoryStyle } from './category-style';
import { useDecorations } from './decorations';
import type { StepFlowNode } from './flow-graph';

/** A step on the canvas: its label and type, an input on the left, one output per port down the right, and its findings or run status. */
export const StepNode = memo(function StepNode({ id, data, selected }: NodeProps<StepFlowNode>) {
  const { findingsByNode, steps } = useDecorations();
  const { step } = data;
  const definition = nodeDefinition(step.type);
  const ports = definition ? portsOf(definition) : ['next' as const];
  const findings = findingsByNode.get(id) ?? [];
  const errors = findings.filter((finding) => finding.severity === 'error').length;
  const run = steps?.[id];
  const style = categoryStyle(definition?.category);
  const classes = ['step', selected ? 'selected' : '', errors > 0 ? 'has-errors' : findings.length > 0 ? 'has-warnings' : '', run ? `run-${run.status}` : ''];

  return (
    <div className={classes.join(' ')} data-step={id} data-ports={ports.length} data-run-status={run?.status} data-findings={findings.length} title={findings.map((finding) => finding.message).join('\n') || undefined}>
      {step.type !== 'flow.start' && <Handle type="target" position={Position.Left} />}
      <div className="step-icon" style={{ background: style.color }}>
        {style.icon}
      </div>
      <div className="step-text">
        <div className="step-label">{step.label || definition?.label || step.type}</div>
        {step.label !== definition?.label && <div className="step-type">{definition?.label ?? `unknown type ${step.type}`}</div>}
      </div>
      {findings.length > 0 && (
        <span className={`step-findings ${errors > 0 ? 'error' : 'warning'}`} aria-label={`${findings.length} findings`}>
          {findings.length}
        </span>
      )}
      {run && (
        <span className={`step-status ${run.status}`} aria-label={`status ${run.status}`}>
          {statusMark[run.status]}
        </span>
      )}
      <div className="step-ports">
        {ports.map((port, index) => (
          <Handle key={port} id={port} type="source" position={Position.Right} className={`port port-${port}`} style={{ top: `${((index + 1) / (ports.length + 1)) * 100}%` }}>
            {ports.length > 1 || port !== 'next' ? <span className="port-label">{port}</span> : null}
          </Handle>
        ))}
      </div>
    </div>
  );
});

const statusMark: Record<string, string> = { done: '✓', failed: '!', running: '…', waiting: '⏸' };
