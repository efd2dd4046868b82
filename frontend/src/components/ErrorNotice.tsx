import { asApiError } from '../api/errors';

/** Shows any query error as the server's message plus its request id. */
export function ErrorNotice({ title, error }: { title: string; error: unknown }) {
  const apiError = asApiError(error);
  return (
    <div className="notice notice--error" role="alert">
      <p className="notice__title">{title}</p>
      <p>{apiError.message}</p>
      {apiError.errors.length > 0 && (
        <ul>
          {apiError.errors.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      )}
      {apiError.requestId && (
        <p className="notice__meta">
          Request ID: <code>{apiError.requestId}</code>
        </p>
      )}
    </div>
  );
}
