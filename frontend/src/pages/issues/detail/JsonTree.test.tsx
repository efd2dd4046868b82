import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { JsonTree } from './JsonTree';

const CONTEXT = {
  user: { id: 7, email: '[REDACTED]', roles: ['admin', 'billing'] },
  environment: 'production',
  debug: false,
  empty: {},
  missing: null,
};

describe('JsonTree', () => {
  it('opens the first level, and each object and array toggles with its button', async () => {
    render(<JsonTree value={CONTEXT} label="Context" />);
    const user = userEvent.setup();

    const tree = screen.getByRole('list', { name: 'Context' });
    const userNode = within(tree).getByRole('button', { name: 'user {3 keys}' });
    expect(userNode).toHaveAttribute('aria-expanded', 'true');
    expect(screen.getByText('"production"')).toHaveClass('json__string');
    expect(screen.getByText('false')).toHaveClass('json__boolean');
    expect(screen.getByText('null')).toHaveClass('json__null');
    expect(screen.getByText('{}')).toBeInTheDocument();
    expect(screen.getByText('"[REDACTED]"')).toHaveClass('json__redacted');

    const roles = screen.getByRole('button', { name: 'roles [2 items]' });
    expect(roles).toHaveAttribute('aria-expanded', 'false');
    expect(screen.queryByText('"billing"')).not.toBeInTheDocument();
    await user.click(roles);
    expect(roles).toHaveAttribute('aria-expanded', 'true');
    expect(within(screen.getByRole('list', { name: 'roles' })).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      '0: "admin"',
      '1: "billing"',
    ]);

    await user.click(userNode);
    expect(userNode).toHaveAttribute('aria-expanded', 'false');
    expect(screen.queryByText('"[REDACTED]"')).not.toBeInTheDocument();

    // The keyboard works too: the toggles are buttons.
    userNode.focus();
    await user.keyboard('{Enter}');
    expect(userNode).toHaveAttribute('aria-expanded', 'true');
  });

  it('expands and collapses everything', async () => {
    render(<JsonTree value={CONTEXT} label="Context" />);
    const user = userEvent.setup();

    await user.click(screen.getByRole('button', { name: 'Expand all' }));
    expect(screen.getByText('"billing"')).toBeInTheDocument();
    for (const toggle of screen.queryAllByRole('button', { expanded: false })) {
      expect(toggle).not.toHaveClass('json__toggle');
    }

    await user.click(screen.getByRole('button', { name: 'Collapse all' }));
    expect(screen.getByRole('button', { name: 'user {3 keys}' })).toHaveAttribute('aria-expanded', 'false');
    expect(screen.queryByText('"billing"')).not.toBeInTheDocument();
    expect(screen.getByText('"production"')).toBeInTheDocument();
  });

  it('shows a plain value and an empty object', () => {
    const { rerender } = render(<JsonTree value="just text" label="Context" />);
    expect(screen.getByText('"just text"')).toBeInTheDocument();
    rerender(<JsonTree value={{}} label="Context" />);
    expect(screen.getByText('Empty.')).toBeInTheDocument();
  });
});
