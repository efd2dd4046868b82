import type { ReactNode } from 'react';
import { CopyButton } from './CopyButton';
import { Icon } from './Icon';

/** A value to copy: a read-only box, labelled for screen readers, beside a Copy button. */
export function CopyField({
  id,
  label,
  value,
  selectOnFocus = false,
}: {
  id: string;
  label: string;
  value: string;
  /** Selects the whole value when the box gets focus (secrets, to copy by hand). */
  selectOnFocus?: boolean;
}) {
  return (
    <div className="token-reveal">
      <label className="visually-hidden" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        className="input input--mono"
        readOnly
        value={value}
        onFocus={selectOnFocus ? (event) => { event.currentTarget.select(); } : undefined}
      />
      <CopyButton text={value} />
    </div>
  );
}

/**
 * A new secret's plaintext (a token, an API key), shown this once: the API keeps only its digest.
 * `children` add a line under it; with `onDone`, a Done button closes the panel.
 */
export function SecretReveal({
  region,
  title,
  inputId,
  inputLabel,
  secret,
  children,
  onDone,
}: {
  /** The panel's accessible name. */
  region: string;
  title: ReactNode;
  inputId: string;
  inputLabel: string;
  secret: string;
  children?: ReactNode;
  onDone?: () => void;
}) {
  return (
    <div className="subpanel subpanel--success" role="region" aria-label={region}>
      <h3 className="subpanel__title">
        <Icon name="checkCircle" size={16} /> {title}
      </h3>
      <p>Copy it now: you will not be able to see it again.</p>
      <CopyField id={inputId} label={inputLabel} value={secret} selectOnFocus />
      {children}
      {onDone && (
        <div className="form__actions">
          <button type="button" className="btn btn--secondary" onClick={onDone}>
            Done
          </button>
        </div>
      )}
    </div>
  );
}
