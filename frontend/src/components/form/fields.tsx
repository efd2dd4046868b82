import { useId, useState, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from 'react';
import { Icon } from '../Icon';
import { useFormState } from './Form';

interface FieldFrameProps {
  id: string;
  label: ReactNode;
  hint: ReactNode | undefined;
  error: string | undefined;
  children: ReactNode;
  optional: boolean;
}

function FieldFrame({ id, label, hint, error, children, optional }: FieldFrameProps) {
  return (
    <div className={error ? 'field field--invalid' : 'field'}>
      <label className="field__label" htmlFor={id}>
        {label}
        {optional && <span className="field__optional"> (optional)</span>}
      </label>
      {children}
      {hint && !error && (
        <p className="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field__error" id={`${id}-error`}>
          <Icon name="alert" size={14} /> {error}
        </p>
      )}
    </div>
  );
}

function describedBy(id: string, hint: ReactNode, error: string | undefined): string | undefined {
  if (error) return `${id}-error`;
  if (hint) return `${id}-hint`;
  return undefined;
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'name' | 'id' | 'children'>;

/**
 * A labelled input of the form kit. `name` is the request body's field, so the API's field
 * errors land here; the error (or the hint) is tied to the input with aria-describedby.
 */
export function TextField({
  name,
  label,
  hint,
  required = true,
  type = 'text',
  onChange,
  ...rest
}: { name: string; label: ReactNode; hint?: ReactNode } & InputProps) {
  const id = useId();
  const { fieldErrors, clearFieldError } = useFormState();
  const error = fieldErrors[name];
  const [revealed, setRevealed] = useState(false);
  const isPassword = type === 'password';

  const input = (
    <input
      id={id}
      name={name}
      type={isPassword && revealed ? 'text' : type}
      className="input"
      required={required}
      aria-invalid={error ? true : undefined}
      aria-describedby={describedBy(id, hint, error)}
      onChange={(event) => {
        clearFieldError(name);
        onChange?.(event);
      }}
      {...rest}
    />
  );

  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} optional={!required}>
      {isPassword ? (
        <div className="input-group">
          {input}
          <button
            type="button"
            className="input-group__button"
            aria-pressed={revealed}
            aria-label={revealed ? 'Hide password' : 'Show password'}
            aria-controls={id}
            onClick={() => { setRevealed((r) => !r); }}
          >
            {revealed ? 'Hide' : 'Show'}
          </button>
        </div>
      ) : (
        input
      )}
    </FieldFrame>
  );
}

type SelectProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'name' | 'id' | 'children'>;

/** A labelled select of the form kit. */
export function SelectField({
  name,
  label,
  hint,
  options,
  onChange,
  ...rest
}: {
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  options: readonly { value: string; label: string }[];
} & SelectProps) {
  const id = useId();
  const { fieldErrors, clearFieldError } = useFormState();
  const error = fieldErrors[name];
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} optional={false}>
      <select
        id={id}
        name={name}
        className="input select"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        onChange={(event) => {
          clearFieldError(name);
          onChange?.(event);
        }}
        {...rest}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}
