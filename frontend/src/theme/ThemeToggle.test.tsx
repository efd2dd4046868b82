import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { applyTheme, THEME_STORAGE_KEY } from './theme';
import { ThemeToggle } from './ThemeToggle';

/** A stand-in for the browser's prefers-color-scheme query, which jsdom lacks. */
function fakeSystemTheme(dark: boolean) {
  const listeners = new Set<() => void>();
  const media = {
    matches: dark,
    addEventListener: (_type: string, listener: () => void) => listeners.add(listener),
    removeEventListener: (_type: string, listener: () => void) => listeners.delete(listener),
  };
  Object.defineProperty(window, 'matchMedia', { configurable: true, value: () => media });
  return {
    set(next: boolean) {
      media.matches = next;
      act(() => {
        for (const listener of listeners) listener();
      });
    },
  };
}

afterEach(() => {
  Reflect.deleteProperty(window, 'matchMedia');
});

describe('ThemeToggle', () => {
  it('follows the system by default, then cycles light, dark, system and remembers the choice', async () => {
    const system = fakeSystemTheme(true);
    applyTheme();
    render(<ThemeToggle />);
    const root = document.documentElement;
    const user = userEvent.setup();

    expect(root.dataset.theme).toBe('dark');
    const button = screen.getByRole('button', { name: 'Theme: System. Switch to light.' });

    await user.click(button);
    expect(root.dataset.theme).toBe('light');
    expect(window.localStorage.getItem(THEME_STORAGE_KEY)).toBe('light');
    expect(button).toHaveAccessibleName('Theme: Light. Switch to dark.');

    await user.click(button);
    expect(root.dataset.theme).toBe('dark');
    expect(window.localStorage.getItem(THEME_STORAGE_KEY)).toBe('dark');

    // A forced theme ignores the system's changes.
    system.set(false);
    expect(root.dataset.theme).toBe('dark');

    await user.click(button);
    expect(button).toHaveAccessibleName('Theme: System. Switch to light.');
    expect(window.localStorage.getItem(THEME_STORAGE_KEY)).toBeNull();
    expect(root.dataset.theme).toBe('light');

    // Following the system again: its changes apply at once.
    system.set(true);
    expect(root.dataset.theme).toBe('dark');
  });

  it('starts from the stored choice', () => {
    fakeSystemTheme(false);
    window.localStorage.setItem(THEME_STORAGE_KEY, 'dark');
    applyTheme();
    render(<ThemeToggle />);
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(screen.getByRole('button')).toHaveAccessibleName('Theme: Dark. Switch to system.');
  });
});
