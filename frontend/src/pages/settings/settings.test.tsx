import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { components } from '../../api/schema.gen';
import { projectFactory, userFactory } from '../../test/factories';
import { renderApp } from '../../test/renderApp';
import { errorResponse, server, signIn } from '../../test/server';

type Project = components['schemas']['Project'];
type Member = components['schemas']['ProjectMember'];
type Invitation = components['schemas']['ProjectInvitation'];
type ApiKey = components['schemas']['ApiKey'];
type User = components['schemas']['User'];

const PROJECT_ID = '00000000-0000-4000-8000-0000000000aa';
const KEY = `logister_${'ef56'.repeat(12)}`;

function summary(user: User) {
  return { id: user.id, email: user.email, name: user.name };
}

interface Seen {
  method: string;
  path: string;
  body?: unknown;
}

/**
 * An in-memory project with its members, invitations and keys, as the API serves them, recording
 * every change the app asks for.
 */
function projectApi({ project, members, apiKeys = [] }: { project: Project; members: Member[]; apiKeys?: ApiKey[] }) {
  const state = { project, members: [...members], invitations: [] as Invitation[], apiKeys: [...apiKeys] };
  const seen: Seen[] = [];
  const base = `/api/v1/projects/${PROJECT_ID}`;
  const existing = new Map<string, User>([['grace@example.com', userFactory({ name: 'Grace Hopper', email: 'grace@example.com' })]]);
  server.use(
    http.get(base, () => HttpResponse.json(state.project)),
    http.patch(base, async ({ request }) => {
      const body = (await request.json()) as Partial<Project>;
      seen.push({ method: 'PATCH', path: '', body });
      if (body.name === 'taken') {
        return errorResponse(422, { error: 'The request failed validation.', code: 'validation_failed', fields: { name: 'is odd' } });
      }
      state.project = { ...state.project, ...body, updatedAt: new Date().toISOString() };
      return HttpResponse.json(state.project);
    }),
    http.delete(base, () => {
      seen.push({ method: 'DELETE', path: '' });
      return new HttpResponse(null, { status: 204 });
    }),
    http.post(`${base}/archive`, () => {
      seen.push({ method: 'POST', path: '/archive' });
      state.project = { ...state.project, archived: true, archivedAt: '2026-02-01T10:00:00Z' };
      return HttpResponse.json(state.project);
    }),
    http.get(`${base}/members`, () => HttpResponse.json({ members: state.members })),
    http.post(`${base}/members`, async ({ request }) => {
      const body = (await request.json()) as { email: string; role: 'admin' | 'viewer' };
      seen.push({ method: 'POST', path: '/members', body });
      const user = existing.get(body.email);
      if (state.members.some((m) => m.user.email === body.email)) {
        return errorResponse(409, { error: `${body.email} is a member already; change their role instead.`, code: 'already_member' });
      }
      if (user) {
        const member: Member = { user: summary(user), role: body.role, addedAt: '2026-02-01T10:00:00Z' };
        state.members.push(member);
        return HttpResponse.json(member, { status: 201 });
      }
      const invitation: Invitation = {
        id: '00000000-0000-4000-8000-0000000000ee',
        email: body.email,
        role: body.role,
        createdAt: '2026-02-01T10:00:00Z',
        expiresAt: '2026-02-08T10:00:00Z',
      };
      state.invitations.push(invitation);
      return HttpResponse.json(invitation, { status: 202 });
    }),
    http.patch(`${base}/members/:userId`, async ({ params, request }) => {
      const body = (await request.json()) as { role: 'admin' | 'viewer' };
      seen.push({ method: 'PATCH', path: `/members/${String(params.userId)}`, body });
      const member = state.members.find((m) => m.user.id === params.userId);
      if (!member) return errorResponse(404, { error: 'No such member.', code: 'not_found' });
      member.role = body.role;
      return HttpResponse.json(member);
    }),
    http.delete(`${base}/members/:userId`, ({ params }) => {
      seen.push({ method: 'DELETE', path: `/members/${String(params.userId)}` });
      state.members = state.members.filter((m) => m.user.id !== params.userId);
      return new HttpResponse(null, { status: 204 });
    }),
    http.get(`${base}/invitations`, () => {
      seen.push({ method: 'GET', path: '/invitations' });
      return HttpResponse.json({ invitations: state.invitations });
    }),
    http.delete(`${base}/invitations/:id`, ({ params }) => {
      seen.push({ method: 'DELETE', path: `/invitations/${String(params.id)}` });
      state.invitations = state.invitations.filter((i) => i.id !== params.id);
      return new HttpResponse(null, { status: 204 });
    }),
    http.get(`${base}/api-keys`, () => {
      seen.push({ method: 'GET', path: '/api-keys' });
      return HttpResponse.json({ apiKeys: state.apiKeys });
    }),
    http.post(`${base}/api-keys`, async ({ request }) => {
      const body = (await request.json()) as { name: string };
      seen.push({ method: 'POST', path: '/api-keys', body });
      const key: ApiKey = {
        id: '00000000-0000-4000-8000-0000000000cc',
        name: body.name,
        hint: 'logister_ef56',
        active: true,
        createdAt: '2026-02-01T10:00:00Z',
      };
      state.apiKeys = [key, ...state.apiKeys];
      return HttpResponse.json({ ...key, key: KEY }, { status: 201 });
    }),
    http.delete(`${base}/api-keys/:id`, ({ params }) => {
      seen.push({ method: 'DELETE', path: `/api-keys/${String(params.id)}` });
      state.apiKeys = state.apiKeys.map((k) =>
        k.id === params.id ? { ...k, active: false, revokedAt: '2026-02-01T11:00:00Z' } : k,
      );
      return new HttpResponse(null, { status: 204 });
    }),
  );
  return { state, seen };
}

/** The owner Ada with Linus (viewer) as member; `me` says who is signed in and with which role. */
function team(me: 'owner' | 'admin' | 'viewer') {
  const ada = userFactory({ name: 'Ada Owner', email: 'ada@example.com' });
  const linus = userFactory({ name: 'Linus Viewer', email: 'linus@example.com' });
  const bob = userFactory({ name: 'Bob Admin', email: 'bob@example.com' });
  const members: Member[] = [
    { user: summary(ada), role: 'owner', addedAt: '2026-01-15T09:30:00Z' },
    { user: summary(bob), role: 'admin', addedAt: '2026-01-16T09:30:00Z' },
    { user: summary(linus), role: 'viewer', addedAt: '2026-01-17T09:30:00Z' },
  ];
  const signedIn = me === 'owner' ? ada : me === 'admin' ? bob : linus;
  signIn(signedIn);
  const project = projectFactory({
    id: PROJECT_ID,
    name: 'Web shop',
    slug: 'web-shop',
    description: 'The shop',
    access: me,
    role: me,
    owner: summary(ada),
  });
  return { ada, linus, bob, members, project };
}

describe('project settings: roles', () => {
  it('shows a viewer the settings and the team read-only, with the reasons', async () => {
    const { members, project, linus } = team('viewer');
    const { seen } = projectApi({ project, members });
    renderApp(`/projects/${PROJECT_ID}/settings`);
    const user = userEvent.setup();

    const form = await screen.findByRole('form', { name: 'General settings' });
    expect(screen.getByText(/you are a viewer/)).toBeInTheDocument();
    expect(within(form).getByLabelText('Name')).toHaveAttribute('readonly');
    expect(within(form).getByLabelText('Name')).toHaveValue('Web shop');
    expect(within(form).getByLabelText('Integration')).toBeDisabled();
    expect(within(form).queryByRole('button', { name: 'Save settings' })).not.toBeInTheDocument();
    expect(screen.getByText('web-shop')).toBeInTheDocument();

    await user.click(screen.getByRole('link', { name: 'Members' }));
    const table = await screen.findByRole('table', { name: 'Members' });
    expect(within(table).getAllByRole('row')).toHaveLength(4);
    expect(screen.queryByRole('form', { name: 'Add a member' })).not.toBeInTheDocument();
    expect(screen.getByText(/Only the project’s admins and its owner can add, remove or change members/)).toBeInTheDocument();
    expect(within(table).queryByRole('combobox')).not.toBeInTheDocument();
    expect(within(table).queryByRole('button', { name: /^Remove / })).not.toBeInTheDocument();
    const mine = within(table).getByRole('row', { name: new RegExp(linus.email) });
    expect(within(mine).getByRole('button', { name: 'Leave project' })).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Pending invitations' })).not.toBeInTheDocument();
    // A viewer's page never asks for what only admins may read.
    expect(seen.filter((s) => s.method === 'GET')).toEqual([]);
  });

  it('explains to a viewer why keys and the danger zone are not theirs', async () => {
    const { members, project } = team('viewer');
    const { seen } = projectApi({ project, members });
    renderApp(`/projects/${PROJECT_ID}/settings/api-keys`);
    const user = userEvent.setup();

    expect(await screen.findByText(/can see and manage API keys; you are a viewer/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'New API key' })).not.toBeInTheDocument();

    await user.click(screen.getByRole('link', { name: 'Danger zone' }));
    expect(await screen.findByText(/Only the project’s owner can archive, restore or delete it/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Delete project/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Archive project/ })).not.toBeInTheDocument();
    expect(seen.filter((s) => s.method === 'GET')).toEqual([]);
  });

  it('lets an admin edit the settings, with the API’s field errors', async () => {
    const { members, project } = team('admin');
    const { seen } = projectApi({ project, members });
    renderApp(`/projects/${PROJECT_ID}/settings`);
    const user = userEvent.setup();

    const form = await screen.findByRole('form', { name: 'General settings' });
    await user.clear(within(form).getByLabelText('Name'));
    await user.type(within(form).getByLabelText('Name'), 'taken');
    await user.click(within(form).getByRole('button', { name: 'Save settings' }));
    expect(await within(form).findByText('is odd')).toBeInTheDocument();

    await user.clear(within(form).getByLabelText('Name'));
    await user.type(within(form).getByLabelText('Name'), 'Online shop');
    await user.selectOptions(within(form).getByLabelText('Integration'), 'ruby');
    await user.click(within(form).getByRole('button', { name: 'Save settings' }));
    expect(await screen.findByText('Settings saved')).toBeInTheDocument();
    expect(seen.at(-1)).toEqual({
      method: 'PATCH',
      path: '',
      body: { name: 'Online shop', description: 'The shop', integrationKind: 'ruby' },
    });
    expect(await screen.findByText('Online shop', { selector: '.page__eyebrow' })).toBeInTheDocument();
  });

  it('lets an admin manage members, but not the danger zone', async () => {
    const { members, project } = team('admin');
    projectApi({ project, members });
    renderApp(`/projects/${PROJECT_ID}/settings/members`);
    const user = userEvent.setup();

    expect(await screen.findByRole('form', { name: 'Add a member' })).toBeInTheDocument();
    const table = await screen.findByRole('table', { name: 'Members' });
    expect(within(table).getByRole('row', { name: /bob@example.com/ })).toHaveTextContent('(you)');
    // The owner's role is fixed; other members' can be changed.
    expect(within(within(table).getByRole('row', { name: /ada@example.com/ })).queryByRole('combobox')).not.toBeInTheDocument();
    expect(within(table).getByLabelText('Role of linus@example.com')).toHaveValue('viewer');
    expect(await screen.findByRole('heading', { name: 'Pending invitations' })).toBeInTheDocument();

    await user.click(screen.getByRole('link', { name: 'Danger zone' }));
    expect(await screen.findByText(/Only the project’s owner can archive, restore or delete it; you are an admin/)).toBeInTheDocument();
  });
});

describe('project settings: members', () => {
  it('adds an existing user at once and invites a new address, saying which happened', async () => {
    const { members, project } = team('owner');
    const { seen } = projectApi({ project, members });
    renderApp(`/projects/${PROJECT_ID}/settings/members`);
    const user = userEvent.setup();

    const form = await screen.findByRole('form', { name: 'Add a member' });
    await user.type(within(form).getByLabelText('E-mail address'), 'grace@example.com');
    await user.selectOptions(within(form).getByLabelText('Role'), 'admin');
    await user.click(within(form).getByRole('button', { name: 'Add member' }));
    expect(await screen.findByText('Grace Hopper was added as admin')).toBeInTheDocument();
    expect(screen.getByText(/already had an account, so they are a member now/)).toBeInTheDocument();
    const table = screen.getByRole('table', { name: 'Members' });
    expect(await within(table).findByLabelText('Role of grace@example.com')).toHaveValue('admin');
    expect(within(form).getByLabelText('E-mail address')).toHaveValue('');

    // (user-event does not see form.reset(), so clear the field its way before typing again.)
    await user.clear(within(form).getByLabelText('E-mail address'));
    await user.type(within(form).getByLabelText('E-mail address'), 'new@example.com');
    await user.click(within(form).getByRole('button', { name: 'Add member' }));
    expect(await screen.findByText('Invitation sent to new@example.com')).toBeInTheDocument();
    expect(screen.getByText(/There is no account with this address yet/)).toBeInTheDocument();
    const invitations = await screen.findByRole('table', { name: 'Pending invitations' });
    expect(within(invitations).getByRole('row', { name: /new@example.com/ })).toHaveTextContent('Viewer');

    expect(seen.filter((s) => s.method === 'POST')).toEqual([
      { method: 'POST', path: '/members', body: { email: 'grace@example.com', role: 'admin' } },
      { method: 'POST', path: '/members', body: { email: 'new@example.com', role: 'viewer' } },
    ]);

    // 409: the server's message says what to do.
    await user.clear(within(form).getByLabelText('E-mail address'));
    await user.type(within(form).getByLabelText('E-mail address'), 'linus@example.com');
    await user.click(within(form).getByRole('button', { name: 'Add member' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent(
      'linus@example.com is a member already; change their role instead.',
    );

  });

  it('withdraws a pending invitation after confirming', async () => {
    const { members, project } = team('admin');
    const { state, seen } = projectApi({ project, members });
    state.invitations.push({
      id: '00000000-0000-4000-8000-0000000000ee',
      email: 'new@example.com',
      role: 'admin',
      invitedBy: { id: 'u1', name: 'Bob Admin', email: 'bob@example.com' },
      createdAt: '2026-02-01T10:00:00Z',
      expiresAt: '2099-02-08T10:00:00Z',
    });
    renderApp(`/projects/${PROJECT_ID}/settings/members`);
    const user = userEvent.setup();

    const invitations = await screen.findByRole('table', { name: 'Pending invitations' });
    expect(within(invitations).getByRole('row', { name: /new@example.com/ })).toHaveTextContent('AdminBob Admin');
    await user.click(within(invitations).getByRole('button', { name: 'Withdraw the invitation of new@example.com' }));
    const dialog = screen.getByRole('dialog', { name: 'Withdraw the invitation of new@example.com?' });
    await user.click(within(dialog).getByRole('button', { name: 'Withdraw invitation' }));
    expect(await screen.findByText('No pending invitations')).toBeInTheDocument();
    expect(seen).toContainEqual({ method: 'DELETE', path: '/invitations/00000000-0000-4000-8000-0000000000ee' });
  });

  it('changes a role and removes a member after confirming', async () => {
    const { members, project, linus, bob } = team('owner');
    const { seen } = projectApi({ project, members });
    renderApp(`/projects/${PROJECT_ID}/settings/members`);
    const user = userEvent.setup();

    const table = await screen.findByRole('table', { name: 'Members' });
    await user.selectOptions(within(table).getByLabelText('Role of linus@example.com'), 'admin');
    expect(await screen.findByText('Linus Viewer is now an admin')).toBeInTheDocument();
    expect(seen).toContainEqual({ method: 'PATCH', path: `/members/${linus.id}`, body: { role: 'admin' } });
    expect(within(table).getByLabelText('Role of linus@example.com')).toHaveValue('admin');

    await user.click(within(table).getByRole('button', { name: 'Remove bob@example.com' }));
    const dialog = screen.getByRole('dialog', { name: 'Remove Bob Admin?' });
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(seen.some((s) => s.method === 'DELETE')).toBe(false);

    await user.click(within(table).getByRole('button', { name: 'Remove bob@example.com' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Remove member' }));
    expect(await screen.findByText('Bob Admin was removed from Web shop')).toBeInTheDocument();
    await waitFor(() => {
      expect(within(table).queryByRole('row', { name: /bob@example.com/ })).not.toBeInTheDocument();
    });
    expect(seen).toContainEqual({ method: 'DELETE', path: `/members/${bob.id}` });
    // The owner cannot leave: there is no button for it.
    expect(within(table).queryByRole('button', { name: 'Leave project' })).not.toBeInTheDocument();
  });

  it('lets a member leave, then goes to the project list', async () => {
    const { members, project, linus } = team('viewer');
    const { seen } = projectApi({ project, members });
    const { router } = renderApp(`/projects/${PROJECT_ID}/settings/members`);
    const user = userEvent.setup();

    await user.click(await screen.findByRole('button', { name: 'Leave project' }));
    await user.click(within(screen.getByRole('dialog', { name: 'Leave Web shop?' })).getByRole('button', { name: 'Leave project' }));
    expect(await screen.findByText('You left Web shop')).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/');
    expect(seen).toContainEqual({ method: 'DELETE', path: `/members/${linus.id}` });
  });
});

describe('project settings: API keys', () => {
  it('creates a key shown once, and revokes a key after confirming', async () => {
    const { members, project } = team('admin');
    const old: ApiKey = {
      id: '00000000-0000-4000-8000-0000000000dd',
      name: 'Staging',
      hint: 'logister_ab12',
      active: true,
      createdAt: '2026-01-20T10:00:00Z',
      lastUsedAt: '2026-01-21T10:00:00Z',
    };
    const { seen } = projectApi({ project, members, apiKeys: [old] });
    renderApp(`/projects/${PROJECT_ID}/settings/api-keys`);
    const user = userEvent.setup();

    const table = await screen.findByRole('table', { name: 'API keys' });
    expect(within(table).getByRole('row', { name: /Staging/ })).toHaveTextContent('logister_ab12…');
    expect(within(table).getByRole('row', { name: /Staging/ })).toHaveTextContent('Active');

    await user.click(screen.getByRole('button', { name: 'New API key' }));
    const form = screen.getByRole('form', { name: 'New API key' });
    await user.type(within(form).getByLabelText('Name'), 'Production');
    await user.click(within(form).getByRole('button', { name: 'Create API key' }));
    const panel = await screen.findByRole('region', { name: 'New API key' });
    expect(within(panel).getByLabelText('New API key')).toHaveValue(KEY);
    expect(within(panel).getByText(/you will not be able to see it again/)).toBeInTheDocument();
    expect(seen).toContainEqual({ method: 'POST', path: '/api-keys', body: { name: 'Production' } });
    expect(await within(table).findByRole('row', { name: /Production/ })).toHaveTextContent('logister_ef56…');

    await user.click(within(panel).getByRole('button', { name: 'Done' }));
    expect(document.body).not.toHaveTextContent(KEY);

    await user.click(within(table).getByRole('button', { name: 'Revoke Staging' }));
    await user.click(within(screen.getByRole('dialog', { name: 'Revoke “Staging”?' })).getByRole('button', { name: 'Revoke API key' }));
    expect(await screen.findByText('API key revoked')).toBeInTheDocument();
    expect(seen).toContainEqual({ method: 'DELETE', path: `/api-keys/${old.id}` });
    await waitFor(() => {
      expect(within(table).getByRole('row', { name: /Staging/ })).toHaveTextContent('Revoked');
    });
    expect(within(table).queryByRole('button', { name: 'Revoke Staging' })).not.toBeInTheDocument();
  });
});

describe('project settings: danger zone', () => {
  it('archives after confirming', async () => {
    const { members, project } = team('owner');
    const { seen } = projectApi({ project, members });
    renderApp(`/projects/${PROJECT_ID}/settings/danger-zone`);
    const user = userEvent.setup();

    await user.click(await screen.findByRole('button', { name: 'Archive project' }));
    await user.click(within(screen.getByRole('dialog', { name: 'Archive Web shop?' })).getByRole('button', { name: 'Archive project' }));
    expect(await screen.findByText('Web shop is archived')).toBeInTheDocument();
    expect(seen).toContainEqual({ method: 'POST', path: '/archive' });
    expect(await screen.findByRole('button', { name: 'Restore project' })).toBeInTheDocument();
  });

  it('deletes only once the exact name is typed, then shows the project list', async () => {
    const { members, project } = team('owner');
    const { seen } = projectApi({ project, members });
    const { router } = renderApp(`/projects/${PROJECT_ID}/settings/danger-zone`);
    const user = userEvent.setup();

    await user.click(await screen.findByRole('button', { name: 'Delete project…' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete Web shop?' });
    const confirm = within(dialog).getByRole('button', { name: 'Delete this project' });
    const input = within(dialog).getByLabelText(/to confirm/);
    expect(confirm).toBeDisabled();
    await user.type(input, 'web shop');
    expect(confirm).toBeDisabled();
    await user.type(input, '{Enter}');
    await user.clear(input);
    await user.type(input, 'Web shop ');
    expect(confirm).toBeDisabled();
    expect(seen.some((s) => s.method === 'DELETE')).toBe(false);

    await user.clear(input);
    await user.type(input, 'Web shop');
    expect(confirm).toBeEnabled();
    await user.click(confirm);
    expect(await screen.findByText('Web shop was deleted')).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/');
    expect(seen.filter((s) => s.method === 'DELETE')).toEqual([{ method: 'DELETE', path: '' }]);
  });

  it('says so when the project does not exist', async () => {
    signIn();
    server.use(
      http.get(`/api/v1/projects/${PROJECT_ID}`, () => errorResponse(404, { error: 'No such project.', code: 'not_found' })),
    );
    renderApp(`/projects/${PROJECT_ID}/settings/members`);
    expect(await screen.findByText('No such project')).toBeInTheDocument();
    expect(screen.getByText('It was deleted, or you are not a member of it.')).toBeInTheDocument();
  });
});
