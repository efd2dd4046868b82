import { useEffect, useId, useRef, type ReactNode } from 'react';

/**
 * A modal on the native <dialog>, rendered only while open: the browser traps focus, closes on
 * Escape (`onCancel`, ignored while `busy`) and restores focus afterwards. The title heads it and
 * names it; `children` follow (a `dialog__body` and `dialog__actions`, or a form holding them).
 */
export function Dialog({
  title,
  children,
  describedBy,
  width = 'normal',
  busy = false,
  onCancel,
}: {
  title: ReactNode;
  children: ReactNode;
  /** The id of the element that says what the dialog is about, if there is one. */
  describedBy?: string;
  width?: 'normal' | 'wide';
  busy?: boolean;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (typeof dialog.showModal === 'function') {
      if (!dialog.open) dialog.showModal();
    } else {
      dialog.setAttribute('open', ''); // jsdom
    }
    return () => {
      if (typeof dialog.close === 'function' && dialog.open) dialog.close();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className={width === 'wide' ? 'dialog dialog--wide' : 'dialog'}
      aria-labelledby={titleId}
      aria-describedby={describedBy}
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) onCancel();
      }}
    >
      <h2 id={titleId} className="dialog__title">
        {title}
      </h2>
      {children}
    </dialog>
  );
}
