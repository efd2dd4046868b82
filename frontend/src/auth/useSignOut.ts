import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { api, isSessionEnded } from '../api/client';
import { useToast } from '../components/Toast';
import { setSignedOut } from './session';

/**
 * Signs out: ends the session on the server, forgets everything cached for the user, and goes to
 * the sign-in page. A session that had already ended counts as signed out.
 */
export function useSignOut() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const toast = useToast();
  return useMutation({
    mutationFn: async () => {
      try {
        await api.POST('/api/v1/auth/sign-out');
      } catch (error) {
        if (!isSessionEnded(error)) throw error;
      }
    },
    onSuccess: async () => {
      setSignedOut(queryClient);
      await navigate({ to: '/sign-in' });
      toast({ title: 'Signed out', description: 'See you soon.' });
    },
    onError: (error) => {
      toast({ tone: 'error', title: 'Could not sign out', description: error.message });
    },
  });
}
