import { useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { $api, asApiError } from '../../api/client';
import { useInstance } from '../../api/instance';
import { invalidatePath } from '../../api/queries';
import { setSignedIn } from '../../auth/session';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Form, SubmitButton } from '../../components/form/Form';
import { TextField } from '../../components/form/fields';
import { Loading } from '../../components/Loading';
import { AuthCard } from '../../components/shell/AuthLayout';
import { useToast } from '../../components/Toast';
import { useDocumentTitle } from '../../components/useDocumentTitle';

const routeApi = getRouteApi('/_auth/setup/$token');

/** `/setup/<token>`: the one-time link `logister serve` prints creates the first administrator. */
export function SetupPage() {
  useDocumentTitle('Set up');
  const { token } = routeApi.useParams();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const toast = useToast();
  const instanceName = useInstance().data?.name ?? 'Logister';
  const setup = $api.useQuery(
    'get',
    '/api/v1/setup/{token}',
    { params: { path: { token } } },
    // A token's validity changes only when it is used; do not re-ask while the page is open.
    { staleTime: Infinity },
  );
  const claim = $api.useMutation('post', '/api/v1/setup/{token}');

  if (setup.isPending) {
    return (
      <AuthCard title="Set up this instance">
        <Loading>Checking your setup link…</Loading>
      </AuthCard>
    );
  }

  if (setup.isError) {
    const error = asApiError(setup.error);
    if (error.code === 'setup_complete') {
      return (
        <AuthCard title="Setup is complete" lead="This instance already has an administrator.">
          <Link to="/sign-in" className="btn btn--primary btn--block">
            Sign in
          </Link>
        </AuthCard>
      );
    }
    return (
      <AuthCard title="Set up this instance">
        <ErrorNotice title="This setup link cannot be used." error={error}>
          <p>
            Each start of <code>logister serve</code> prints a new link while no administrator exists.
          </p>
        </ErrorNotice>
      </AuthCard>
    );
  }

  return (
    <AuthCard
      title={`Set up ${instanceName}`}
      lead="Create the first administrator. You can invite your team once you are in."
    >
      <p className="muted small">{setup.data.message}</p>
      <Form
        aria-label="Create the administrator"
        errorTitle="Could not create the administrator."
        onSubmit={async (values) => {
          const session = await claim.mutateAsync({
            params: { path: { token } },
            body: { name: values.trimmed('name'), email: values.trimmed('email'), password: values.string('password') },
          });
          setSignedIn(queryClient, session);
          void invalidatePath(queryClient, '/api/v1/instance');
          await navigate({ to: '/' });
          toast({ title: `Welcome, ${session.user.name}`, description: `You are the administrator of ${instanceName}.` });
        }}
      >
        <TextField name="name" label="Your name" autoComplete="name" maxLength={100} autoFocus />
        <TextField name="email" type="email" label="E-mail address" autoComplete="email" maxLength={254} />
        <TextField
          name="password"
          type="password"
          label="Password"
          autoComplete="new-password"
          minLength={8}
          maxLength={128}
          hint="At least 8 characters."
        />
        <SubmitButton block pendingLabel="Creating your account…">
          Create administrator
        </SubmitButton>
      </Form>
    </AuthCard>
  );
}
