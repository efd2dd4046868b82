import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../test/renderApp';

describe('NotFoundPage', () => {
  it('is shown for unknown client paths, inside the layout', async () => {
    renderApp('/no/such/page');

    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeInTheDocument();
    expect(screen.getByText('/no/such/page')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Go to the home page' })).toHaveAttribute('href', '/');
    // The layout's header still loads the instance name.
    const banner = screen.getByRole('banner');
    expect(await within(banner).findByRole('link', { name: 'Acme Logister' })).toBeInTheDocument();
  });
});
