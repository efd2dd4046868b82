import { useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { $api } from '../../api/client';
import { setSignedOut } from '../../auth/session';
import { Form, SubmitButton } from '../../components/form/Form';
import { TextField } from '../../components/form/fields';
import { AuthCard } from '../../components/shell/AuthLayout';
import { useToast } from '../../components/Toast';
import { useDocumentTitle } from '../../components/useDocumentTitle';

const routeApi = getRouteApi('/_auth/reset-password/$token');

/** `/reset-password/<token>`, the link of the reset mail: sets a new password. */
export function ResetPasswordPage() {
  useDocumentTitle('Choose a new password');
  const { token } = routeApi.useParams();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const toast = useToast();
  const reset = $api.useMutation('post', '/api/v1/auth/password/reset');

  return (
    <AuthCard
      title="Choose a new password"
      lead="This signs you out everywhere and revokes your personal access tokens."
      footer={<Link to="/forgot-password">Need a new link?</Link>}
    >
      <Form
        aria-label="Choose a new password"
        errorTitle="Could not change your password."
        errorHelp={(error) =>
          error.status === 404 || error.status === 410 ? (
            <p>
              <Link to="/forgot-password">Ask for a new reset link</Link>.
            </p>
          ) : null
        }
        onSubmit={async (values) => {
          await reset.mutateAsync({ body: { token, password: values.string('password') } });
          // Every session ended, this tab's too.
          setSignedOut(queryClient);
          await navigate({ to: '/sign-in' });
          toast({ title: 'Password changed', description: 'Sign in with your new password.' });
        }}
      >
        <TextField
          name="password"
          type="password"
          label="New password"
          autoComplete="new-password"
          minLength={8}
          maxLength={128}
          hint="At least 8 characters."
          autoFocus
        />
        <SubmitButton block pendingLabel="Saving…">
          Set new password
        </SubmitButton>
      </Form>
    </AuthCard>
  );
}
