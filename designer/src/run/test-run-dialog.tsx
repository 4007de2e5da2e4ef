import type { SubflowKind, SubflowVariable } from '@lockstep/schema';
import { useState } from 'react';
import { z } from 'zod';
import type { TestRunOptions } from '../api/contexts';
import { Modal } from '../modal';

const sampleByType: Record<SubflowVariable['type'], unknown> = { string: '', number: 0, boolean: false, object: {}, array: [], any: null };
const inputsSchema = z.record(z.string(), z.unknown());

/**
 * Asks for sample inputs, prefilled from the inputs the subflow declares.
 * An outbound subflow runs as a dry run unless unticked: outside the queue
 * its Send has no queue item to send, so it shows the envelope instead.
 */
export function TestRunDialog({
  kind,
  inputs,
  onRun,
  onCancel,
}: {
  kind: SubflowKind;
  inputs: readonly SubflowVariable[];
  onRun: (inputs: Record<string, unknown>, options: TestRunOptions) => void;
  onCancel: () => void;
}) {
  const [text, setText] = useState(() => JSON.stringify(Object.fromEntries(inputs.map((input) => [input.name, sampleByType[input.type]])), null, 2));
  const [dryRun, setDryRun] = useState(kind === 'outbound');
  const [error, setError] = useState<string | null>(null);

  const submit = () => {
    try {
      const parsed = inputsSchema.safeParse(JSON.parse(text));
      if (!parsed.success) return setError('the inputs are a JSON object, name to value');
      onRun(parsed.data, { dryRun });
    } catch (failure) {
      setError((failure as Error).message);
    }
  };

  return (
    <Modal title="Test run" confirm="Run" wide onSubmit={submit} onCancel={onCancel}>
      <p className="muted">Runs the saved draft with these inputs. Test runs act on real records, as you.</p>
      <textarea className="json" aria-label="Sample inputs" rows={10} value={text} spellCheck={false} onChange={(event) => setText(event.target.value)} />
      {kind === 'outbound' && (
        <label className="check">
          <input type="checkbox" checked={dryRun} onChange={(event) => setDryRun(event.target.checked)} />
          Dry run: Send shows the envelope it would send, and sends nothing
        </label>
      )}
      {kind === 'outbound' && !dryRun && <p className="field-error">Without a dry run, Send fails: it sends only for an item of the outbound queue.</p>}
      {error !== null && <p className="field-error">{error}</p>}
    </Modal>
  );
}
