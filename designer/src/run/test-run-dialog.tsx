import type { SubflowVariable } from '@lockstep/schema';
import { useState } from 'react';
import { z } from 'zod';
import { Modal } from '../modal';

const sampleByType: Record<SubflowVariable['type'], unknown> = { string: '', number: 0, boolean: false, object: {}, array: [], any: null };
const inputsSchema = z.record(z.string(), z.unknown());

/** Asks for sample inputs, prefilled from the inputs the subflow declares. */
export function TestRunDialog({ inputs, onRun, onCancel }: { inputs: readonly SubflowVariable[]; onRun: (inputs: Record<string, unknown>) => void; onCancel: () => void }) {
  const [text, setText] = useState(() => JSON.stringify(Object.fromEntries(inputs.map((input) => [input.name, sampleByType[input.type]])), null, 2));
  const [error, setError] = useState<string | null>(null);

  const submit = () => {
    try {
      const parsed = inputsSchema.safeParse(JSON.parse(text));
      if (!parsed.success) return setError('the inputs are a JSON object, name to value');
      onRun(parsed.data);
    } catch (failure) {
      setError((failure as Error).message);
    }
  };

  return (
    <Modal title="Test run" confirm="Run" wide onSubmit={submit} onCancel={onCancel}>
      <p className="muted">Runs the saved draft with these inputs. Test runs act on real records, as you.</p>
      <textarea className="json" aria-label="Sample inputs" rows={10} value={text} spellCheck={false} onChange={(event) => setText(event.target.value)} />
      {error !== null && <p className="field-error">{error}</p>}
    </Modal>
  );
}
