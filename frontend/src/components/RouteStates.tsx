import { Link, useRouter, type ErrorComponentProps } from '@tanstack/react-router';
import { asApiError } from '../api/errors';
import { EmptyState } from './EmptyState';
import { ErrorNotice } from './ErrorNotice';
import { Loading } from './Loading';

/** Shown while a route's data loads for longer than a moment. */
export function PageLoading() {
  return (
    <div className="page page--center">
      <Loading>Loading…</Loading>
    </div>
  );
}

/** A route's error: 403 says what is missing, the rest shows the API's message and a retry. */
export function RouteError({ error, reset }: ErrorComponentProps) {
  const router = useRouter();
  const apiError = asApiError(error);
  if (apiError.status === 403) {
    return (
      <div className="page">
        <EmptyState icon="shield" title="You do not have access to this page" action={<Link to="/">Go to the home page</Link>}>
          <p>{apiError.message}</p>
        </EmptyState>
      </div>
    );
  }
  return (
    <div className="page">
      <ErrorNotice
        title="This page could not be loaded."
        error={apiError}
        onRetry={() => {
          reset();
          void router.invalidate();
        }}
      />
    </div>
  );
}
