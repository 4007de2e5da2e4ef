import { useState, type ReactNode } from 'react';
import { Modal } from '../modal';

/** Asks for a name (new subflow, copy, rename), with extra fields when needed. */
export function NamePrompt({
  title,
  initial,
  confirm,
  children,
  onSubmit,
  onCancel,
}: {
  title: string;
  initial: string;
  confirm: string;
  children?: ReactNode;
  onSubmit: (name: string) => void;
  onCancel: () => void;
}) {
  const [name, setName] = useState(initial);
  return (
    <Modal title={title} confirm={confirm} onSubmit={() => name.trim() !== '' && onSubmit(name.trim())} onCancel={onCancel}>
      <label>
        Name
        <input name="name" value={name} maxLength={120} onChange={(event) => setName(event.target.value)} autoFocus />
      </label>
      {children}
    </Modal>
  );
}
