import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { useQueryClient } from '@tanstack/react-query';
import { $api } from '../../api/client';
import { useInstance } from '../../api/instance';
import { invalidatePath } from '../../api/queries';
import { useSession } from '../../auth/session';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading, Spinner } from '../../components/Loading';
import { AuthCard } from '../../components/shell/AuthLayout';
import { formatDateTime } from '../../components/Time';
import { useToast } from '../../components/Toast';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { invitationSentence } from './SignUpPage';

const routeApi = getRouteApi('/_auth/invitations/$token');

/**
 * `/invitations/<token>`, the link of an invitation mail. Signed out: create the account (or sign
 * in and come back, for a project invitation to an existing account). Signed in: accept a project
 * invitation.
 */
export function InvitationPage() {
  useDocumentTitle('Invitation');
  const { token } = routeApi.useParams();
  const instanceName = useInstance().data?.name ?? 'Logister';
  const session = useSession();
  const invitation = $api.useQuery('get', '/api/v1/invitations/{token}', { params: { path: { token } } }, { staleTime: Infinity });

  if (invitation.isPending || session.isPending) {
    return (
      <AuthCard title="Your invitation">
        <Loading>Checking your invitation…</Loading>
      </AuthCard>
    );
  }
  if (invitation.isError) {
    return (
      <AuthCard title="Your invitation" footer={<Link to="/sign-in">Sign in</Link>}>
        <ErrorNotice title="This invitation cannot be used." error={invitation.error}>
          <p>An invitation works once, for 7 days. Ask the person who invited you for a new one.</p>
        </ErrorNotice>
      </AuthCard>
    );
  }

  const inv = invitation.data;
  const user = session.data?.user;
  const lead = (
    <>
      {invitationSentence(inv, instanceName)} The invitation is for <strong>{inv.email}</strong> and works until{' '}
      {formatDateTime(inv.expiresAt)}.
    </>
  );

  if (!user) {
    return (
      <AuthCard
        title="You are invited"
        lead={lead}
        footer={
          inv.projectName ? (
            <>
              Already have an account with this address?{' '}
              <Link to="/sign-in" search={{ redirect: `/invitations/${token}`, email: inv.email }}>
                Sign in to accept
              </Link>
            </>
          ) : undefined
        }
      >
        <Link to="/sign-up" search={{ invitation: token }} className="btn btn--primary btn--block">
          Create your account
        </Link>
      </AuthCard>
    );
  }

  if (!inv.projectName) {
    return (
      <AuthCard title="You are invited" lead={lead} footer={<Link to="/">Go to the home page</Link>}>
        <p>
          You are signed in as <strong>{user.email}</strong>, who already has an account. To create the invited
          account, sign out first and open this link again.
        </p>
        <Link to="/sign-out" className="btn btn--secondary btn--block">
          Sign out
        </Link>
      </AuthCard>
    );
  }

  return (
    <AuthCard title="You are invited" lead={lead} footer={<Link to="/">Not now</Link>}>
      <AcceptProjectInvitation token={token} projectName={inv.projectName} />
    </AuthCard>
  );
}

function AcceptProjectInvitation({ token, projectName }: { token: string; projectName: string }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const toast = useToast();
  const accept = $api.useMutation('post', '/api/v1/invitations/{token}/accept', {
    onSuccess: async (project) => {
      void invalidatePath(queryClient, '/api/v1/projects');
      // TODO(projects UI): go to the project's inbox once it exists.
      await navigate({ to: '/' });
      toast({ title: `You joined ${project.name}` });
    },
  });
  return (
    <>
      {accept.isError && <ErrorNotice title="Could not accept the invitation." error={accept.error} />}
      <button
        type="button"
        className="btn btn--primary btn--block"
        disabled={accept.isPending}
        onClick={() => { accept.mutate({ params: { path: { token } } }); }}
      >
        {accept.isPending && <Spinner size={14} />}
        Join {projectName}
      </button>
    </>
  );
}
