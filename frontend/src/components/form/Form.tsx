import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type SyntheticEvent,
  type ReactNode,
} from 'react';
import { asApiError, type ApiError } from '../../api/errors';
import { errorHint } from '../ErrorNotice';
import { Icon } from '../Icon';
import { Spinner } from '../Loading';
import { RetryAfter } from '../RetryAfter';
import { FormValues } from './FormValues';
import { isValidatable, validityMessage } from './validity';

interface FormState {
  pending: boolean;
  /** Submitting is paused until a 429's Retry-After has passed. */
  blocked: boolean;
  fieldErrors: Readonly<Record<string, string>>;
  clearFieldError: (name: string) => void;
}

const FormContext = createContext<FormState>({
  pending: false,
  blocked: false,
  fieldErrors: {},
  clearFieldError: () => undefined,
});

/** The enclosing form's pending state and field errors (for fields and the submit button). */
export function useFormState(): FormState {
  return useContext(FormContext);
}

function fieldElement(form: HTMLFormElement, name: string): HTMLElement | null {
  const item = form.elements.namedItem(name);
  if (item instanceof RadioNodeList) {
    const first = item[0];
    return first instanceof HTMLElement ? first : null;
  }
  return item instanceof HTMLElement ? item : null;
}

export interface FormProps {
  /**
   * Called with the fields when the browser-side checks pass. Throw (or reject with) the API's
   * error to show it: `fields` of a 422 go next to their inputs, the rest above the form.
   */
  onSubmit: (values: FormValues) => Promise<unknown> | undefined;
  children: ReactNode;
  /** The title of the error shown above the fields, such as "Could not sign in." */
  errorTitle: string;
  /** Extra help for some errors (say, a link to resend the confirmation mail). */
  errorHelp?: (error: ApiError, values: FormValues) => ReactNode;
  /** Empty the fields after a successful submit. */
  resetOnSuccess?: boolean;
  className?: string;
  'aria-label'?: string;
  'aria-labelledby'?: string;
}

/**
 * The form kit's form: runs the browser's constraint checks but shows their failures inline
 * (noValidate), submits once at a time, keeps the submit button pending until `onSubmit` settles,
 * and shows the API's answer: field errors by their request field name (so an input's `name` must
 * be the request body's field), everything else in one notice, a 429 with a countdown. Focus goes
 * to the first field in error, or to the notice.
 */
export function Form({
  onSubmit,
  children,
  errorTitle,
  errorHelp,
  resetOnSuccess = false,
  className,
  ...aria
}: FormProps) {
  const [pending, setPending] = useState(false);
  const [blocked, setBlocked] = useState(false);
  const [error, setError] = useState<{ error: ApiError; values: FormValues } | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Readonly<Record<string, string>>>({});
  // Field names of the API error that no input of this form shows, to list in the notice.
  const [unmatched, setUnmatched] = useState<readonly [string, string][]>([]);
  const noticeRef = useRef<HTMLDivElement>(null);
  const focusNotice = useRef(false);
  const inFlight = useRef(false);

  // Once the error notice is on screen, move focus to it (when no field took the focus).
  useEffect(() => {
    if (error && focusNotice.current) {
      focusNotice.current = false;
      noticeRef.current?.focus();
    }
  }, [error]);

  const clearFieldError = useCallback((name: string) => {
    setFieldErrors((current) =>
      name in current ? Object.fromEntries(Object.entries(current).filter(([key]) => key !== name)) : current,
    );
  }, []);

  const unblock = useCallback(() => {
    setBlocked(false);
  }, []);

  async function handleSubmit(event: SyntheticEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    if (inFlight.current || blocked) return;

    const invalid: Record<string, string> = {};
    let firstInvalid: HTMLElement | undefined;
    for (const element of Array.from(form.elements)) {
      if (!isValidatable(element) || !element.name || !element.willValidate) continue;
      const message = validityMessage(element);
      if (message && !(element.name in invalid)) {
        invalid[element.name] = message;
        firstInvalid ??= element;
      }
    }
    if (firstInvalid) {
      setError(null);
      setUnmatched([]);
      setFieldErrors(invalid);
      firstInvalid.focus();
      return;
    }

    inFlight.current = true;
    setPending(true);
    setError(null);
    setUnmatched([]);
    setFieldErrors({});
    const values = new FormValues(new FormData(form));
    try {
      await onSubmit(values);
      if (resetOnSuccess) form.reset();
    } catch (thrown) {
      const apiError = asApiError(thrown);
      const matched: Record<string, string> = {};
      const rest: [string, string][] = [];
      let focusTarget: HTMLElement | null = null;
      for (const [name, message] of Object.entries(apiError.fields)) {
        const element = fieldElement(form, name);
        if (element) {
          matched[name] = message;
          focusTarget ??= element;
        } else {
          rest.push([name, message]);
        }
      }
      setFieldErrors(matched);
      setUnmatched(rest);
      setError({ error: apiError, values });
      if (apiError.status === 429 && apiError.retryAfter) setBlocked(true);
      if (focusTarget && rest.length === 0) focusTarget.focus();
      else focusNotice.current = true;
    } finally {
      inFlight.current = false;
      setPending(false);
    }
  }

  const state = useMemo(
    () => ({ pending, blocked, fieldErrors, clearFieldError }),
    [pending, blocked, fieldErrors, clearFieldError],
  );

  const apiError = error?.error;
  const onlyFieldErrors =
    apiError?.code === 'validation_failed' &&
    unmatched.length === 0 &&
    Object.keys(apiError.fields).length > 0;

  return (
    <FormContext.Provider value={state}>
      <form
        className={className ? `form ${className}` : 'form'}
        noValidate
        onSubmit={(event) => void handleSubmit(event)}
        aria-busy={pending}
        {...aria}
      >
        {error && apiError && (
          <div className="notice notice--error" role="alert" tabIndex={-1} ref={noticeRef}>
            <Icon name="alert" size={18} className="icon notice__icon" />
            <div className="notice__body">
              <p className="notice__title">{errorTitle}</p>
              <p>{onlyFieldErrors ? 'Check the highlighted fields.' : apiError.message}</p>
              {unmatched.length > 0 && (
                <ul>
                  {unmatched.map(([name, message]) => (
                    <li key={name}>
                      {name}: {message}
                    </li>
                  ))}
                </ul>
              )}
              {apiError.status === 429 && apiError.retryAfter !== undefined && (
                <p>
                  <RetryAfter seconds={apiError.retryAfter} onDone={unblock} />
                </p>
              )}
              {apiError.code === 'csrf_failed' && <p>{errorHint(apiError)}</p>}
              {errorHelp?.(apiError, error.values)}
              {apiError.requestId && (apiError.status >= 500 || apiError.status === 0) && (
                <p className="notice__meta">
                  Request ID: <code>{apiError.requestId}</code>
                </p>
              )}
            </div>
          </div>
        )}
        {children}
      </form>
    </FormContext.Provider>
  );
}

/** The form's submit button: disabled with a spinner while submitting. */
export function SubmitButton({
  children,
  pendingLabel,
  variant = 'primary',
  block = false,
}: {
  children: ReactNode;
  pendingLabel?: string;
  variant?: 'primary' | 'danger' | 'secondary';
  block?: boolean;
}) {
  const { pending, blocked } = useFormState();
  return (
    <button
      type="submit"
      className={`btn btn--${variant}${block ? ' btn--block' : ''}`}
      disabled={pending || blocked}
      aria-disabled={pending || blocked}
    >
      {pending && <Spinner size={14} />}
      {pending && pendingLabel ? pendingLabel : children}
    </button>
  );
}
