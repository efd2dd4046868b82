import { render, type RenderResult } from '@testing-library/react';
import { StrictMode } from 'react';
import { createMemoryHistory } from '@tanstack/react-router';
import type { QueryClient } from '@tanstack/react-query';
import { App } from '../App';
import { createQueryClient } from '../queryClient';
import { createAppRouter, type AppRouter } from '../router';
import { rootOptions } from '../rootOptions';

/**
 * Renders the whole app (router, React Query, toasts) at `path` as main.tsx does (StrictMode),
 * with a fresh cache and no retries.
 */
export function renderApp(path: string): RenderResult & { router: AppRouter; queryClient: QueryClient } {
  const queryClient = createQueryClient({ retry: false });
  const history = createMemoryHistory({ initialEntries: [path] });
  const router = createAppRouter({ queryClient, history });
  const result = render(
    <StrictMode>
      <App router={router} queryClient={queryClient} />
    </StrictMode>,
    rootOptions,
  );
  return { ...result, router, queryClient };
}

