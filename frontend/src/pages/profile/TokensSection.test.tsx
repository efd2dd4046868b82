import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { components } from '../../api/schema.gen';
import { tokenFactory } from '../../test/factories';
import { renderApp } from '../../test/renderApp';
import { errorResponse, server, signIn } from '../../test/server';

type Token = components['schemas']['PersonalAccessToken'];

const PLAINTEXT = `logister_pat_${'ab12'.repeat(16)}`;

/** An in-memory /api/v1/me/tokens, recording what the app sends. */
function tokenApi(initial: Token[]) {
  let tokens = [...initial];
  const seen: { body: unknown; csrf: string | null }[] = [];
  server.use(
    http.get('/api/v1/me/tokens', () => HttpResponse.json({ tokens })),
    http.post('/api/v1/me/tokens', async ({ request }) => {
      const body = (await request.json()) as { name: string; scope: Token['scope']; expiresInDays: number };
      seen.push({ body, csrf: request.headers.get('X-CSRF-Token') });
      if (body.name === 'taken') {
        return errorResponse(422, {
          error: 'The request failed validation.',
          code: 'validation_failed',
          fields: { name: 'is already used by another token' },
        });
      }
      const created = tokenFactory({ name: body.name, scope: body.scope, hint: 'logister_pat_ab12' });
      tokens = [created, ...tokens];
      return HttpResponse.json({ ...created, token: PLAINTEXT }, { status: 201 });
    }),
    http.delete('/api/v1/me/tokens/:id', ({ params }) => {
      tokens = tokens.filter((t) => t.id !== params.id);
      return new HttpResponse(null, { status: 204 });
    }),
  );
  return seen;
}

describe('personal access tokens', () => {
  it('creates a token and shows its plaintext once, with a copy button', async () => {
    signIn({ name: 'Grace Hopper', admin: false });
    const seen = tokenApi([tokenFactory({ name: 'Old laptop', scope: 'write' })]);
    renderApp('/profile');
    const user = userEvent.setup();

    expect(await screen.findByRole('row', { name: /Old laptop/ })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'New token' }));
    const form = screen.getByRole('form', { name: 'New token' });
    // Only administrators may pick the admin scope.
    expect(within(form).getByLabelText('Scope')).not.toHaveTextContent(/Admin/);
    await user.type(within(form).getByLabelText('Name'), 'CI deploy');
    await user.selectOptions(within(form).getByLabelText('Scope'), 'write');
    await user.selectOptions(within(form).getByLabelText('Expires after'), '90');
    await user.click(within(form).getByRole('button', { name: 'Create token' }));

    const panel = await screen.findByRole('region', { name: 'New token' });
    expect(within(panel).getByLabelText('New token')).toHaveValue(PLAINTEXT);
    expect(within(panel).getByText(/you will not be able to see it again/)).toBeInTheDocument();
    expect(seen).toEqual([
      { body: { name: 'CI deploy', scope: 'write', expiresInDays: 90 }, csrf: 'csrf-token-1' },
    ]);
    // The list shows the new token by its hint only.
    expect(await screen.findByRole('row', { name: /CI deploy/ })).toHaveTextContent('logister_pat_ab12…');

    // user-event stands in for the clipboard.
    await user.click(within(panel).getByRole('button', { name: 'Copy' }));
    expect(await within(panel).findByText('Copied')).toBeInTheDocument();
    expect(await navigator.clipboard.readText()).toBe(PLAINTEXT);

    await user.click(within(panel).getByRole('button', { name: 'Done' }));
    expect(screen.queryByRole('region', { name: 'New token' })).not.toBeInTheDocument();
    expect(screen.queryByDisplayValue(PLAINTEXT)).not.toBeInTheDocument();
    expect(document.body).not.toHaveTextContent(PLAINTEXT);
  });

  it('shows the API field error on the name', async () => {
    signIn();
    tokenApi([]);
    renderApp('/profile');
    const user = userEvent.setup();
    expect(await screen.findByText('No personal access tokens')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'New token' }));
    const form = screen.getByRole('form', { name: 'New token' });
    const name = within(form).getByRole('textbox', { name: 'Name' });
    await user.type(name, 'taken');
    await user.click(within(form).getByRole('button', { name: 'Create token' }));

    await waitFor(() => {
      expect(name).toHaveAccessibleDescription('is already used by another token');
    });
    expect(screen.queryByRole('region', { name: 'New token' })).not.toBeInTheDocument();
  });

  it('revokes a token after asking', async () => {
    signIn();
    tokenApi([tokenFactory({ name: 'Old laptop' })]);
    renderApp('/profile');
    const user = userEvent.setup();

    await user.click(await screen.findByRole('button', { name: 'Revoke Old laptop' }));
    const dialog = screen.getByRole('dialog', { name: 'Revoke “Old laptop”?' });
    await user.click(within(dialog).getByRole('button', { name: 'Revoke token' }));

    expect(await screen.findByText('Token revoked')).toBeInTheDocument();
    expect(await screen.findByText('No personal access tokens')).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });
});
