import { getRouteApi } from '@tanstack/react-router';
import { $api } from '../../api/client';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { EmailLinkForm } from './EmailLinkForm';

const routeApi = getRouteApi('/_auth/forgot-password');

/** `/forgot-password` (linked from the server's mails too): mails a password reset link. */
export function ForgotPasswordPage() {
  useDocumentTitle('Forgot your password');
  const { email } = routeApi.useSearch();
  const forgot = $api.useMutation('post', '/api/v1/auth/password/forgot');
  return (
    <EmailLinkForm
      title="Reset your password"
      lead="Enter your account's address and we will mail you a link to choose a new password. It works once, for 6 hours."
      submitLabel="Send reset link"
      initialEmail={email}
      send={(address) => forgot.mutateAsync({ body: { email: address } })}
    />
  );
}
