import type { ReactNode } from 'react';
import { asApiError, type ApiError } from '../api/errors';
import { Icon } from './Icon';
import { RetryAfter } from './RetryAfter';

/** The sentence to show for an error: the server's message, with help for the common cases. */
export function errorHint(error: ApiError): ReactNode {
  if (error.status === 429) {
    return error.retryAfter ? <RetryAfter seconds={error.retryAfter} /> : 'Wait a moment before trying again.';
  }
  if (error.code === 'csrf_failed') return 'Your session changed in another tab. Reload the page and try again.';
  return null;
}

/**
 * Shows any error as the server's message plus its request id (which identifies it in the
 * server log), the individual validation messages, and an optional retry action.
 */
export function ErrorNotice({
  title,
  error,
  onRetry,
  children,
}: {
  title: string;
  error: unknown;
  onRetry?: () => void;
  children?: ReactNode;
}) {
  const apiError = asApiError(error);
  const hint = errorHint(apiError);
  return (
    <div className="notice notice--error" role="alert">
      <Icon name="alert" size={18} className="icon notice__icon" />
      <div className="notice__body">
        <p className="notice__title">{title}</p>
        <p>{apiError.message}</p>
        {hint && <p>{hint}</p>}
        {apiError.errors.length > 0 && (
          <ul>
            {apiError.errors.map((message) => (
              <li key={message}>{message}</li>
            ))}
          </ul>
        )}
        {children}
        {apiError.requestId && (
          <p className="notice__meta">
            Request ID: <code>{apiError.requestId}</code>
          </p>
        )}
        {onRetry && (
          <p>
            <button type="button" className="btn btn--secondary btn--small" onClick={onRetry}>
              <Icon name="refresh" size={14} /> Try again
            </button>
          </p>
        )}
      </div>
    </div>
  );
}

/** A non-error notice: information, success or warning, with an optional title. */
export function Notice({
  tone = 'info',
  title,
  children,
}: {
  tone?: 'info' | 'success' | 'warning';
  title?: string;
  children?: ReactNode;
}) {
  const icon = tone === 'success' ? 'checkCircle' : tone === 'warning' ? 'alert' : 'info';
  return (
    <div className={`notice notice--${tone}`} role={tone === 'success' ? 'status' : 'note'}>
      <Icon name={icon} size={18} className="icon notice__icon" />
      <div className="notice__body">
        {title && <p className="notice__title">{title}</p>}
        {children}
      </div>
    </div>
  );
}
