import { useQueryClient } from '@tanstack/react-query';
import { Outlet, useRouter } from '@tanstack/react-router';
import { useEffect } from 'react';
import { onSessionEnded } from '../../api/client';
import { sessionQueryKey, setSignedOut } from '../../auth/session';
import { useToast } from '../Toast';

/**
 * When any request finds the session gone (expired, signed out elsewhere, user disabled), forget
 * it and go to the sign-in page, which brings the user back here afterwards.
 */
function SessionWatcher() {
  const queryClient = useQueryClient();
  const router = useRouter();
  const toast = useToast();

  useEffect(
    () =>
      onSessionEnded(() => {
        if (!queryClient.getQueryData(sessionQueryKey)) return; // already signed out
        setSignedOut(queryClient);
        const here = router.state.location.href;
        void router.navigate({ to: '/sign-in', search: { redirect: here } });
        toast({ tone: 'info', title: 'Your session has ended', description: 'Sign in again to continue.' });
      }),
    [queryClient, router, toast],
  );
  return null;
}

export function RootLayout() {
  return (
    <>
      <SessionWatcher />
      <Outlet />
    </>
  );
}
