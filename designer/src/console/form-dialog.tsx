import { useState, type ReactNode } from 'react';
import { Modal } from '../modal';
import { ProblemNotice } from './problem-notice';
import { useAction } from './use-action';

/** One input of a dialog's form. */
export interface FormField {
  name: string;
  label: string;
  kind: 'text' | 'textarea' | 'password' | 'select';
  options?: readonly { value: string; label: string }[];
  help?: string;
}

export type FormValues = Record<string, string>;

/** The fields most records start with; `help` says what the name means for this kind. */
export function nameAndDescription(help: string): FormField[] {
  return [
    { name: 'name', label: 'Name', kind: 'text', help },
    { name: 'description', label: 'Description', kind: 'textarea' },
  ];
}

/**
 * A dialog that makes or changes a record: its fields, and the runtime's
 * refusal (title, detail and each finding) shown in place, the dialog kept
 * open so nothing typed is lost. `children` say what the record gets without
 * a field for it, such as its domain.
 */
export function FormDialog({
  title,
  confirm,
  fields,
  initial = {},
  onSubmit,
  onCancel,
  children,
}: {
  title: string;
  confirm: string;
  fields: readonly FormField[];
  initial?: FormValues;
  onSubmit: (values: FormValues) => Promise<void>;
  onCancel: () => void;
  children?: ReactNode;
}) {
  const [values, setValues] = useState<FormValues>(initial);
  const { busy, error, run } = useAction();
  const submit = () => busy === null && void run('save', () => onSubmit(values));

  const set = (name: string, value: string) => setValues((current) => ({ ...current, [name]: value }));
  return (
    <Modal title={title} confirm={busy !== null ? 'Saving…' : confirm} wide onSubmit={submit} onCancel={onCancel}>
      {children}
      {fields.map((field) => (
        <label key={field.name}>
          {field.label}
          {field.kind === 'select' ? (
            <select name={field.name} value={values[field.name] ?? ''} onChange={(event) => set(field.name, event.target.value)}>
              <option value="">-- choose --</option>
              {(field.options ?? []).map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </select>
          ) : field.kind === 'textarea' ? (
            <textarea name={field.name} rows={3} value={values[field.name] ?? ''} onChange={(event) => set(field.name, event.target.value)} />
          ) : (
            <input name={field.name} type={field.kind === 'password' ? 'password' : 'text'} value={values[field.name] ?? ''} onChange={(event) => set(field.name, event.target.value)} />
          )}
          {field.help !== undefined && <span className="field-help">{field.help}</span>}
        </label>
      ))}
      <ProblemNotice error={error} context="Not saved" />
    </Modal>
  );
}
