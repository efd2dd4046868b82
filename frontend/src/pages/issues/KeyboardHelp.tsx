import { Fragment, useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { Icon } from '../../components/Icon';
import { SHORTCUTS } from './shortcuts';

const KEY_NAMES: Record<string, string> = { Escape: 'Esc' };

/**
 * The inbox's keyboard shortcuts in a modal <dialog>, rendered only while open: focus moves to it
 * and stays in it (Tab wraps), Escape or Close closes it, and focus goes back to where it was.
 */
export function KeyboardHelp({ onClose }: { onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  // Taken while rendering, before the dialog takes focus.
  const [opener] = useState(() => document.activeElement);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (typeof dialog.showModal === 'function') {
      if (!dialog.open) dialog.showModal();
    } else {
      dialog.setAttribute('open', ''); // jsdom
    }
    closeRef.current?.focus();
    return () => {
      if (typeof dialog.close === 'function' && dialog.open) dialog.close();
      else dialog.removeAttribute('open');
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
    };
  }, [opener]);

  function onKeyDown(event: KeyboardEvent<HTMLDialogElement>) {
    if (event.key === 'Escape') {
      event.preventDefault();
      onClose();
    } else if (event.key === 'Tab') {
      // The browser keeps focus out of the page behind a modal dialog, but may move it to its own
      // toolbar; keep it here.
      const focusable = Array.from(
        event.currentTarget.querySelectorAll<HTMLElement>('button, [href], input, select, textarea, [tabindex]:not([tabindex="-1"])'),
      );
      const first = focusable[0];
      const last = focusable[focusable.length - 1];
      if (!first || !last) return;
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    }
  }

  return (
    <dialog
      ref={ref}
      className="dialog shortcuts-dialog"
      aria-labelledby={titleId}
      onKeyDown={onKeyDown}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <div className="shortcuts-dialog__header">
        <h2 id={titleId} className="dialog__title">
          Keyboard shortcuts
        </h2>
        <button ref={closeRef} type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          <Icon name="x" size={16} />
        </button>
      </div>
      <dl className="shortcut-list">
        {SHORTCUTS.map((shortcut) => (
          <div key={shortcut.label} className="shortcut-list__row">
            <dt>
              {shortcut.keys.map((key, i) => (
                <Fragment key={key}>
                  {i > 0 && <span className="shortcut-list__joiner">{shortcut.keys[0] === 'Shift' ? '+' : 'or'}</span>}
                  <kbd className="kbd">{KEY_NAMES[key] ?? key}</kbd>
                </Fragment>
              ))}
            </dt>
            <dd>{shortcut.label}</dd>
          </div>
        ))}
      </dl>
      <p className="small muted shortcuts-dialog__note">Shortcuts do nothing while you type in a field.</p>
    </dialog>
  );
}
