import { getRouteApi } from '@tanstack/react-router';
import { $api } from '../../api/client';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { EmailLinkForm } from './EmailLinkForm';

const routeApi = getRouteApi('/_auth/resend-confirmation');

/** `/resend-confirmation`: mails a new confirmation link. */
export function ResendConfirmationPage() {
  useDocumentTitle('Resend confirmation');
  const { email } = routeApi.useSearch();
  const resend = $api.useMutation('post', '/api/v1/auth/confirm/resend');
  return (
    <EmailLinkForm
      title="Confirm your e-mail address"
      lead="We will mail you a new confirmation link. Earlier links stop working."
      submitLabel="Send confirmation link"
      initialEmail={email}
      send={(address) => resend.mutateAsync({ body: { email: address } })}
    />
  );
}
