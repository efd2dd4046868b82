import { useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { $api } from '../../api/client';
import { useInstance } from '../../api/instance';
import { setSignedIn } from '../../auth/session';
import { ErrorNotice, Notice } from '../../components/ErrorNotice';
import { Form, SubmitButton } from '../../components/form/Form';
import { TextField } from '../../components/form/fields';
import { Loading } from '../../components/Loading';
import { AuthCard } from '../../components/shell/AuthLayout';
import { useToast } from '../../components/Toast';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import type { components } from '../../api/schema.gen';

type Invitation = components['schemas']['Invitation'];

const routeApi = getRouteApi('/_auth/sign-up');

/** The invitation sentence: "You are invited to Acme" or "…to join Checkout as a viewer". */
export function invitationSentence(invitation: Invitation, instanceName: string): string {
  if (invitation.projectName) {
    return `You are invited to join ${invitation.projectName} on ${instanceName}${invitation.role ? ` as ${invitation.role === 'admin' ? 'an admin' : 'a viewer'}` : ''}.`;
  }
  return `You are invited to ${instanceName}.`;
}

/**
 * `/sign-up`, and `/sign-up?invitation=<token>` from an invitation: with an invitation the account
 * is for the invited address and starts signed in; without one (open sign-up) a confirmation link
 * is mailed first.
 */
export function SignUpPage() {
  useDocumentTitle('Create an account');
  const { invitation: invitationToken } = routeApi.useSearch();
  const instance = useInstance();
  const instanceName = instance.data?.name ?? 'Logister';
  const invitation = $api.useQuery(
    'get',
    '/api/v1/invitations/{token}',
    { params: { path: { token: invitationToken ?? '' } } },
    { enabled: invitationToken !== undefined, staleTime: Infinity },
  );
  const [mailedTo, setMailedTo] = useState<{ email: string; message: string } | null>(null);

  if (mailedTo) {
    return (
      <AuthCard title="Check your mailbox">
        <Notice tone="success" title={`We sent a confirmation link to ${mailedTo.email}.`}>
          <p>{mailedTo.message}</p>
        </Notice>
        <p className="muted">
          Nothing arrived? Look in your spam folder, or{' '}
          <Link to="/resend-confirmation" search={{ email: mailedTo.email }}>
            send a new link
          </Link>
          .
        </p>
        <Link to="/sign-in" search={{ email: mailedTo.email }} className="btn btn--secondary btn--block">
          Go to sign in
        </Link>
      </AuthCard>
    );
  }

  if (invitationToken !== undefined && invitation.isPending) {
    return (
      <AuthCard title="Create your account">
        <Loading>Checking your invitation…</Loading>
      </AuthCard>
    );
  }

  if (invitationToken !== undefined && invitation.isError) {
    return (
      <AuthCard title="Create your account" footer={<Link to="/sign-in">Sign in instead</Link>}>
        <ErrorNotice title="This invitation cannot be used." error={invitation.error}>
          <p>Ask the person who invited you for a new invitation.</p>
        </ErrorNotice>
      </AuthCard>
    );
  }

  return (
    <AuthCard
      title="Create your account"
      lead={invitation.data ? invitationSentence(invitation.data, instanceName) : `on ${instanceName}`}
      footer={
        <>
          Already have an account? <Link to="/sign-in">Sign in</Link>
        </>
      }
    >
      <SignUpForm
        invitationToken={invitationToken}
        invitedEmail={invitation.data?.email}
        onMailed={(email, message) => { setMailedTo({ email, message }); }}
      />
    </AuthCard>
  );
}

function SignUpForm({
  invitationToken,
  invitedEmail,
  onMailed,
}: {
  invitationToken: string | undefined;
  invitedEmail: string | undefined;
  onMailed: (email: string, message: string) => void;
}) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const toast = useToast();
  const signUp = $api.useMutation('post', '/api/v1/auth/sign-up');

  return (
    <Form
      aria-label="Create your account"
      errorTitle="Could not create your account."
      errorHelp={(error) => {
        if (error.code === 'invitation_required') {
          return <p>Ask an administrator of this instance to invite you; the invitation mail has a sign-up link.</p>;
        }
        if (error.code === 'setup_required') {
          return (
            <p>
              The first account is created with the setup link that <code>logister serve</code> printed.
            </p>
          );
        }
        return null;
      }}
      onSubmit={async (values) => {
        const email = invitedEmail ?? values.trimmed('email');
        const result = await signUp.mutateAsync({
          body: {
            name: values.trimmed('name'),
            email,
            password: values.string('password'),
            ...(invitationToken ? { invitationToken } : {}),
          },
        });
        if ('user' in result) {
          setSignedIn(queryClient, result);
          await navigate({ to: '/' });
          toast({ title: `Welcome, ${result.user.name}`, description: 'Your account is ready.' });
        } else {
          onMailed(email, result.message);
        }
      }}
    >
      <TextField name="name" label="Your name" autoComplete="name" maxLength={100} autoFocus />
      {invitedEmail ? (
        <TextField
          name="email"
          type="email"
          label="E-mail address"
          value={invitedEmail}
          readOnly
          hint="The invitation is for this address."
        />
      ) : (
        <TextField name="email" type="email" label="E-mail address" autoComplete="email" maxLength={254} />
      )}
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
        Create account
      </SubmitButton>
    </Form>
  );
}
