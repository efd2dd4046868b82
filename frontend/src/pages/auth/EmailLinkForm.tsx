import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { Notice } from '../../components/ErrorNotice';
import { Form, SubmitButton } from '../../components/form/Form';
import { TextField } from '../../components/form/fields';
import { AuthCard } from '../../components/shell/AuthLayout';

/**
 * The "mail me a link" pages (resend confirmation, forgot password): one e-mail field, then the
 * API's deliberately vague answer (it never says whether the address has an account).
 */
export function EmailLinkForm({
  title,
  lead,
  submitLabel,
  initialEmail,
  send,
}: {
  title: string;
  lead: string;
  submitLabel: string;
  initialEmail: string | undefined;
  send: (email: string) => Promise<{ message: string }>;
}) {
  const [sent, setSent] = useState<{ email: string; message: string } | null>(null);

  if (sent) {
    return (
      <AuthCard title="Check your mailbox" footer={<Link to="/sign-in">Back to sign in</Link>}>
        <Notice tone="success" title={`If ${sent.email} has an account, a message is on its way.`}>
          <p>{sent.message}</p>
        </Notice>
        <button type="button" className="btn btn--secondary btn--block" onClick={() => { setSent(null); }}>
          Use another address
        </button>
      </AuthCard>
    );
  }

  return (
    <AuthCard title={title} lead={lead} footer={<Link to="/sign-in">Back to sign in</Link>}>
      <Form
        aria-label={title}
        errorTitle="Could not send the link."
        onSubmit={async (values) => {
          const email = values.trimmed('email');
          const { message } = await send(email);
          setSent({ email, message });
        }}
      >
        <TextField
          name="email"
          type="email"
          label="E-mail address"
          autoComplete="email"
          defaultValue={initialEmail}
          maxLength={254}
          autoFocus
        />
        <SubmitButton block pendingLabel="Sending…">
          {submitLabel}
        </SubmitButton>
      </Form>
    </AuthCard>
  );
}
