import { useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { $api } from '../../api/client';
import { useInstance } from '../../api/instance';
import { safeRedirect } from '../../auth/guards';
import { setSignedIn } from '../../auth/session';
import { Notice } from '../../components/ErrorNotice';
import { Form, SubmitButton } from '../../components/form/Form';
import { TextField } from '../../components/form/fields';
import { AuthCard } from '../../components/shell/AuthLayout';
import { useDocumentTitle } from '../../components/useDocumentTitle';

const routeApi = getRouteApi('/_auth/sign-in');

export function SignInPage() {
  useDocumentTitle('Sign in');
  const search = routeApi.useSearch();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const instance = useInstance();
  const signIn = $api.useMutation('post', '/api/v1/auth/sign-in');

  return (
    <AuthCard
      title="Sign in"
      lead={instance.data ? `to ${instance.data.name}` : undefined}
      footer={
        <>
          New here? <Link to="/sign-up">Create an account</Link>
        </>
      }
    >
      {instance.data?.setupRequired && (
        <Notice tone="warning" title="No administrator yet">
          <p>
            Open the one-time setup link that <code>logister serve</code> printed when it started to create
            the first account.
          </p>
        </Notice>
      )}
      <Form
        aria-label="Sign in"
        errorTitle="Could not sign in."
        errorHelp={(error, values) =>
          error.code === 'email_not_confirmed' ? (
            <p>
              <Link to="/resend-confirmation" search={{ email: values.trimmed('email') || undefined }}>
                Send a new confirmation link
              </Link>
            </p>
          ) : null
        }
        onSubmit={async (values) => {
          const session = await signIn.mutateAsync({
            body: { email: values.trimmed('email'), password: values.string('password') },
          });
          setSignedIn(queryClient, session);
          await navigate({ href: safeRedirect(search.redirect), replace: true });
        }}
      >
        <TextField
          name="email"
          type="email"
          label="E-mail address"
          autoComplete="username"
          defaultValue={search.email}
          maxLength={254}
          autoFocus
        />
        <TextField name="password" type="password" label="Password" autoComplete="current-password" maxLength={512} />
        <p className="form__aside">
          <Link to="/forgot-password">Forgot your password?</Link>
        </p>
        <SubmitButton block pendingLabel="Signing in…">
          Sign in
        </SubmitButton>
      </Form>
    </AuthCard>
  );
}
