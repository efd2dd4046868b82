import { render } from '@testing-library/react';
import { createMemoryHistory } from '@tanstack/react-router';
import { App } from '../App';
import { createQueryClient } from '../queryClient';
import { createAppRouter } from '../router';

/** Renders the whole app (router, React Query) at `path`, with a fresh cache and no retries. */
export function renderApp(path: string) {
  const queryClient = createQueryClient({ retry: false });
  const history = createMemoryHistory({ initialEntries: [path] });
  const router = createAppRouter({ queryClient, history });
  const result = render(<App router={router} queryClient={queryClient} />);
  return { ...result, router, queryClient };
}
