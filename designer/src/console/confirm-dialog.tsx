import type { ReactNode } from 'react';
import { Modal } from '../modal';

/** Asks before an action that changes what the runtime does (retry, skip, reprocess, delete). */
export function ConfirmDialog({ title, confirm, children, onConfirm, onCancel }: { title: string; confirm: string; children: ReactNode; onConfirm: () => void; onCancel: () => void }) {
  return (
    <Modal title={title} confirm={confirm} onSubmit={onConfirm} onCancel={onCancel}>
      <div className="confirm-text">{children}</div>
    </Modal>
  );
}
