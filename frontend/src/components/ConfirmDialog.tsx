import { useId, type ReactNode } from 'react';
import { Dialog } from './Dialog';
import { Spinner } from './Loading';

/** A modal question ("Delete this user?"): Cancel has the focus; Escape cancels unless pending. */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  tone = 'danger',
  pending = false,
  onConfirm,
  onCancel,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  tone?: 'danger' | 'primary';
  pending?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const bodyId = useId();
  return (
    <Dialog title={title} describedBy={bodyId} busy={pending} onCancel={onCancel}>
      <div id={bodyId} className="dialog__body">
        {children}
      </div>
      <div className="dialog__actions">
        <button type="button" className="btn btn--secondary" onClick={onCancel} disabled={pending} autoFocus>
          Cancel
        </button>
        <button type="button" className={`btn btn--${tone}`} onClick={onConfirm} disabled={pending}>
          {pending && <Spinner size={14} />}
          {confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
