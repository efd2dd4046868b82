import { Link } from '@tanstack/react-router';
import { useSession } from '../../auth/session';
import { useSignOut } from '../../auth/useSignOut';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading, Spinner } from '../../components/Loading';
import { AuthCard } from '../../components/shell/AuthLayout';
import { useDocumentTitle } from '../../components/useDocumentTitle';

/**
 * `/sign-out`: asks before signing out, so that a link from elsewhere cannot sign anyone out. The
 * user menu signs out directly.
 */
export function SignOutPage() {
  useDocumentTitle('Sign out');
  const session = useSession();
  const signOut = useSignOut();

  if (session.isPending) {
    return (
      <AuthCard title="Sign out">
        <Loading>Checking your session…</Loading>
      </AuthCard>
    );
  }
  if (session.isError) {
    return (
      <AuthCard title="Sign out">
        <ErrorNotice title="Could not check your session." error={session.error} />
      </AuthCard>
    );
  }
  if (!session.data) {
    return (
      <AuthCard title="You are signed out">
        <Link to="/sign-in" className="btn btn--primary btn--block">
          Sign in
        </Link>
      </AuthCard>
    );
  }
  return (
    <AuthCard
      title="Sign out?"
      lead={`You are signed in as ${session.data.user.email}.`}
      footer={<Link to="/">Stay signed in</Link>}
    >
      <button
        type="button"
        className="btn btn--primary btn--block"
        disabled={signOut.isPending}
        onClick={() => { signOut.mutate(); }}
      >
        {signOut.isPending && <Spinner size={14} />}
        Sign out
      </button>
    </AuthCard>
  );
}
