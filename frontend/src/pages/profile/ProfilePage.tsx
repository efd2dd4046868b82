import { useQueryClient } from '@tanstack/react-query';
import { $api } from '../../api/client';
import { invalidatePath } from '../../api/queries';
import { setSessionUser, useCurrentUser } from '../../auth/session';
import { Notice } from '../../components/ErrorNotice';
import { Form, SubmitButton } from '../../components/form/Form';
import { TextField } from '../../components/form/fields';
import { formatDate } from '../../components/Time';
import { useToast } from '../../components/Toast';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { initials } from '../../components/shell/UserMenu';
import { SettingsSection } from './SettingsSection';
import { TokensSection } from './TokensSection';

/** `/profile`: your name, e-mail address, password and personal access tokens. */
export function ProfilePage() {
  useDocumentTitle('Profile');
  const user = useCurrentUser();
  return (
    <div className="page page--narrow">
      <div className="page__header">
        <div className="profile-head">
          <span className="avatar avatar--large" aria-hidden="true">
            {initials(user.name, user.email)}
          </span>
          <div>
            <h1 className="page__title">{user.name}</h1>
            <p className="page__subtitle">
              {user.email}
              {user.admin && <span className="badge badge--accent">Instance admin</span>}
              <span className="muted"> · member since {formatDate(user.createdAt)}</span>
            </p>
          </div>
        </div>
      </div>
      <NameSection />
      <EmailSection />
      <PasswordSection />
      <TokensSection />
    </div>
  );
}

function NameSection() {
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const toast = useToast();
  const update = $api.useMutation('patch', '/api/v1/me');
  return (
    <SettingsSection id="name" title="Name" description="How your teammates see you in assignments and comments.">
      <Form
        aria-label="Name"
        errorTitle="Could not save your name."
        onSubmit={async (values) => {
          const updated = await update.mutateAsync({ body: { name: values.trimmed('name') } });
          setSessionUser(queryClient, updated);
          toast({ title: 'Name saved' });
        }}
      >
        <TextField name="name" label="Name" defaultValue={user.name} autoComplete="name" maxLength={100} />
        <div className="form__actions">
          <SubmitButton pendingLabel="Saving…">Save name</SubmitButton>
        </div>
      </Form>
    </SettingsSection>
  );
}

function EmailSection() {
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const toast = useToast();
  const change = $api.useMutation('post', '/api/v1/me/email');
  return (
    <SettingsSection
      id="email"
      title="E-mail address"
      description={
        <>
          You sign in with <strong>{user.email}</strong>. A new address is used once you follow the link we mail to
          it.
        </>
      }
    >
      {user.pendingEmail && (
        <Notice tone="info" title="Waiting for confirmation">
          <p>
            We mailed a confirmation link to <strong>{user.pendingEmail}</strong>. Until it is used, you keep signing in
            with {user.email}.
          </p>
        </Notice>
      )}
      <Form
        aria-label="Change e-mail address"
        errorTitle="Could not change your e-mail address."
        resetOnSuccess
        onSubmit={async (values) => {
          const email = values.trimmed('email');
          await change.mutateAsync({ body: { email, currentPassword: values.string('currentPassword') } });
          await invalidatePath(queryClient, '/api/v1/session');
          toast({ title: 'Check your mailbox', description: `Follow the link we sent to ${email} to confirm it.` });
        }}
      >
        <TextField name="email" type="email" label="New e-mail address" autoComplete="email" maxLength={254} />
        <TextField
          name="currentPassword"
          type="password"
          label="Current password"
          autoComplete="current-password"
          maxLength={512}
        />
        <div className="form__actions">
          <SubmitButton pendingLabel="Sending…">Change e-mail address</SubmitButton>
        </div>
      </Form>
    </SettingsSection>
  );
}

function PasswordSection() {
  const toast = useToast();
  const change = $api.useMutation('post', '/api/v1/me/password');
  return (
    <SettingsSection
      id="password"
      title="Password"
      description="Changing it signs you out on every other device. Your tokens keep working."
    >
      <Form
        aria-label="Change password"
        errorTitle="Could not change your password."
        resetOnSuccess
        onSubmit={async (values) => {
          await change.mutateAsync({
            body: { currentPassword: values.string('currentPassword'), newPassword: values.string('newPassword') },
          });
          toast({ title: 'Password changed', description: 'Your other sessions were signed out.' });
        }}
      >
        <TextField
          name="currentPassword"
          type="password"
          label="Current password"
          autoComplete="current-password"
          maxLength={512}
        />
        <TextField
          name="newPassword"
          type="password"
          label="New password"
          autoComplete="new-password"
          minLength={8}
          maxLength={128}
          hint="At least 8 characters."
        />
        <div className="form__actions">
          <SubmitButton pendingLabel="Saving…">Change password</SubmitButton>
        </div>
      </Form>
    </SettingsSection>
  );
}
