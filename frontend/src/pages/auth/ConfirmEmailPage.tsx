import { useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { useEffect, useRef } from 'react';
import { $api } from '../../api/client';
import { invalidatePath } from '../../api/queries';
import { useSession } from '../../auth/session';
import { ErrorNotice, Notice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { AuthCard } from '../../components/shell/AuthLayout';
import { useDocumentTitle } from '../../components/useDocumentTitle';

const routeApi = getRouteApi('/_auth/confirm/$token');

/**
 * `/confirm/<token>`, the link of the confirmation mail (new account or change of address). The
 * link is used once, as soon as the page opens: it is a POST, so mail scanners that fetch links
 * do not use it up.
 */
export function ConfirmEmailPage() {
  useDocumentTitle('Confirm your e-mail address');
  const { token } = routeApi.useParams();
  const queryClient = useQueryClient();
  const session = useSession();
  const confirm = $api.useMutation('post', '/api/v1/auth/confirm', {
    onSuccess: (result) => {
      // A change of address shows up in the session's user.
      if (result.emailChanged) void invalidatePath(queryClient, '/api/v1/session');
    },
  });
  const { mutate } = confirm;
  const sent = useRef(false);

  useEffect(() => {
    if (sent.current) return; // once, also under StrictMode's double effects
    sent.current = true;
    mutate({ body: { token } });
  }, [mutate, token]);

  const signedIn = Boolean(session.data);

  if (confirm.isSuccess) {
    const { email, emailChanged } = confirm.data;
    return (
      <AuthCard title={emailChanged ? 'Your e-mail address is changed' : 'Your e-mail address is confirmed'}>
        <Notice tone="success">
          <p>
            {emailChanged ? (
              <>
                From now on, sign in with <strong>{email}</strong>.
              </>
            ) : (
              <>
                <strong>{email}</strong> is confirmed. You can sign in now.
              </>
            )}
          </p>
        </Notice>
        {signedIn ? (
          <Link to="/" className="btn btn--primary btn--block">
            Continue
          </Link>
        ) : (
          <Link to="/sign-in" search={{ email }} className="btn btn--primary btn--block">
            Sign in
          </Link>
        )}
      </AuthCard>
    );
  }

  if (confirm.isError) {
    return (
      <AuthCard
        title="Confirm your e-mail address"
        footer={signedIn ? <Link to="/">Go to the home page</Link> : <Link to="/sign-in">Sign in</Link>}
      >
        <ErrorNotice title="This confirmation link cannot be used." error={confirm.error}>
          <p>
            A link works once and for a limited time.{' '}
            {!signedIn && (
              <>
                <Link to="/resend-confirmation">Send a new confirmation link</Link>, or sign in if you already
                confirmed.
              </>
            )}
          </p>
        </ErrorNotice>
      </AuthCard>
    );
  }

  return (
    <AuthCard title="Confirm your e-mail address">
      <Loading>Confirming your address…</Loading>
    </AuthCard>
  );
}
