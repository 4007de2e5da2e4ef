import { DEFAULT_NODE_TIMEOUT_MS, type AnyNodeDefinition } from '@lockstep/flow/catalog';
import type { SubflowNode } from '@lockstep/schema';

/** How long one attempt of a step may take, and how often a failed one is retried (actions that can fail only). */
export function StepTiming({ step, definition, disabled, onChange }: { step: SubflowNode; definition: AnyNodeDefinition; disabled: boolean; onChange: (change: Partial<SubflowNode>) => void }) {
  const number = (text: string) => (text === '' ? undefined : Number(text));
  const retry = step.retry ?? { attempts: 1, delayMs: 1000 };
  return (
    <div className="step-timing">
      <label className="field-label">Timeout (ms)</label>
      <input
        aria-label="Timeout (ms)"
        type="number"
        min={1}
        placeholder={String(definition.timeoutMs ?? DEFAULT_NODE_TIMEOUT_MS)}
        value={step.timeoutMs ?? ''}
        disabled={disabled}
        onChange={(event) => onChange({ timeoutMs: number(event.target.value) })}
      />
      {definition.canFail && (
        <>
          <label className="field-label">Attempts, the first included; wait before the second (ms), doubling after</label>
          <div className="variable-row">
            <input aria-label="Attempts" type="number" min={1} max={20} value={retry.attempts} disabled={disabled} onChange={(event) => onChange({ retry: { ...retry, attempts: number(event.target.value) ?? 1 } })} />
            <input aria-label="Retry delay (ms)" type="number" min={0} value={retry.delayMs} disabled={disabled} onChange={(event) => onChange({ retry: { ...retry, delayMs: number(event.target.value) ?? 0 } })} />
          </div>
        </>
      )}
    </div>
  );
}
