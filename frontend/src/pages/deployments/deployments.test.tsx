import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { deploymentFactory, projectFactory } from '../../test/factories';
import { renderApp } from '../../test/renderApp';
import { server, signIn } from '../../test/server';
import { validateDeploymentsSearch } from './search';

const PROJECT_ID = '00000000-0000-4000-8000-00000000e004';

function projectApi() {
  server.use(
    http.get('/api/v1/projects/:projectId', () => HttpResponse.json(projectFactory({ id: PROJECT_ID, name: 'Shop' }))),
  );
}

describe('validateDeploymentsSearch', () => {
  it('keeps known sources only', () => {
    expect(validateDeploymentsSearch({ source: 'telemetry', repository: 'acme/shop', q: '' })).toEqual({
      source: 'telemetry',
      repository: 'acme/shop',
    });
    expect(validateDeploymentsSearch({ source: 'ftp' })).toEqual({});
  });
});

describe('deployments', () => {
  it('renders commit, compare and pull request links, the total, and filters through the URL', async () => {
    signIn();
    projectApi();
    const seen: URLSearchParams[] = [];
    const linked = deploymentFactory({
      release: '1.4.2',
      branch: 'main',
      pullRequestNumber: 42,
      previousCommitSha: '1a410efbd13591db07496601ebc7a059dd55cfe9',
      links: {
        commit: 'https://github.com/acme/shop/commit/9fceb02d0ae598e95dc970b74767f19372d61af8',
        compare: 'https://github.com/acme/shop/compare/1a410ef...9fceb02',
        pullRequest: 'https://github.com/acme/shop/pull/42',
        release: 'https://github.com/acme/shop/releases/tag/1.4.2',
      },
    });
    const bare = deploymentFactory({ release: '1.4.1', shortCommitSha: '1a410ef', source: 'manual' });
    const older = deploymentFactory({ release: '1.4.0', shortCommitSha: '0000aaa' });
    server.use(
      http.get('/api/v1/projects/:projectId/deployments', ({ request }) => {
        const params = new URL(request.url).searchParams;
        seen.push(params);
        if (params.get('cursor') === 'c2') return HttpResponse.json({ deployments: [older], total: 3 });
        return HttpResponse.json({ deployments: [linked, bare], total: 3, nextCursor: 'c2' });
      }),
    );
    const { router } = renderApp(`/projects/${PROJECT_ID}/deployments?environment=production&source=api`);
    const user = userEvent.setup();

    const table = await screen.findByRole('table', { name: 'Deployments, newest first' });
    expect(screen.getByRole('status')).toHaveTextContent('3 deployments match');
    expect(seen[0]?.get('environment')).toBe('production');
    expect(seen[0]?.get('source')).toBe('api');
    const row = within(table).getByRole('row', { name: /1\.4\.2/ });
    expect(within(row).getByRole('link', { name: 'Commit 9fceb02 (opens in a new tab)' })).toHaveAttribute('href', linked.links.commit);
    expect(within(row).getByRole('link', { name: 'Compare with 1a410ef (opens in a new tab)' })).toHaveAttribute(
      'href',
      linked.links.compare,
    );
    const pr = within(row).getByRole('link', { name: 'Pull request #42 (opens in a new tab)' });
    expect(pr).toHaveAttribute('href', 'https://github.com/acme/shop/pull/42');
    expect(pr).toHaveAttribute('target', '_blank');
    expect(pr).toHaveAttribute('rel', 'noreferrer noopener');
    expect(within(row).getByRole('link', { name: 'Release 1.4.2 (opens in a new tab)' })).toBeInTheDocument();
    const bareRow = within(table).getByRole('row', { name: /1\.4\.1/ });
    expect(within(bareRow).queryByRole('link')).not.toBeInTheDocument();
    expect(within(bareRow).getByText('1a410ef')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Load more' }));
    expect(await within(table).findByText('0000aaa')).toBeInTheDocument();
    expect(seen.at(-1)?.get('source')).toBe('api');

    await user.selectOptions(screen.getByLabelText('Source'), '');
    await user.type(screen.getByLabelText('Repository'), 'acme/shop');
    await waitFor(() => {
      expect(router.state.location.search).toEqual({ environment: 'production', repository: 'acme/shop' });
    });
    await waitFor(() => {
      expect(seen.at(-1)?.get('repository')).toBe('acme/shop');
    });
    expect(seen.at(-1)?.has('source')).toBe(false);
  });

  it('explains how to report deployments when there are none', async () => {
    signIn();
    projectApi();
    server.use(http.get('/api/v1/projects/:projectId/deployments', () => HttpResponse.json({ deployments: [], total: 0 })));
    renderApp(`/projects/${PROJECT_ID}/deployments`);
    expect(await screen.findByText('No deployments yet')).toBeInTheDocument();
    expect(screen.getByText('POST /api/v1/deployments')).toBeInTheDocument();
  });
});
