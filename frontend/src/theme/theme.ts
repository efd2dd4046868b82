import { useSyncExternalStore } from 'react';

/** What the user chose: follow the system, or force one theme. */
export type ThemePreference = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

/** localStorage key; public/theme-init.js reads the same key before the app loads. */
export const THEME_STORAGE_KEY = 'logister.theme';

const DARK_QUERY = '(prefers-color-scheme: dark)';

function isPreference(value: unknown): value is ThemePreference {
  return value === 'system' || value === 'light' || value === 'dark';
}

export function readPreference(): ThemePreference {
  try {
    const stored = window.localStorage.getItem(THEME_STORAGE_KEY);
    return isPreference(stored) ? stored : 'system';
  } catch {
    return 'system'; // storage disabled
  }
}

function systemTheme(): Theme {
  return typeof window.matchMedia === 'function' && window.matchMedia(DARK_QUERY).matches ? 'dark' : 'light';
}

export function resolveTheme(preference: ThemePreference): Theme {
  return preference === 'system' ? systemTheme() : preference;
}

/** Sets `data-theme` (and the browser's color-scheme) on <html>; the stylesheet does the rest. */
export function applyTheme(preference: ThemePreference = readPreference()): void {
  const theme = resolveTheme(preference);
  const root = document.documentElement;
  root.dataset.theme = theme;
  root.style.colorScheme = theme;
}

const listeners = new Set<() => void>();

function notify() {
  for (const listener of listeners) listener();
}

/** Stores the preference, applies it and tells every useTheme() hook. */
export function setPreference(preference: ThemePreference): void {
  try {
    if (preference === 'system') window.localStorage.removeItem(THEME_STORAGE_KEY);
    else window.localStorage.setItem(THEME_STORAGE_KEY, preference);
  } catch {
    // storage disabled: the choice lasts for this page only
  }
  applyTheme(preference);
  notify();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  const media = typeof window.matchMedia === 'function' ? window.matchMedia(DARK_QUERY) : undefined;
  // Following the system: re-apply when it changes.
  const onSystemChange = () => {
    if (readPreference() === 'system') applyTheme('system');
    listener();
  };
  // Another tab changed the preference.
  const onStorage = (event: StorageEvent) => {
    if (event.key === THEME_STORAGE_KEY) {
      applyTheme();
      listener();
    }
  };
  media?.addEventListener('change', onSystemChange);
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    media?.removeEventListener('change', onSystemChange);
    window.removeEventListener('storage', onStorage);
  };
}

/** The current preference and the theme it resolves to, kept up to date. */
export function useTheme(): { preference: ThemePreference; theme: Theme } {
  const preference = useSyncExternalStore(subscribe, readPreference, () => 'system' as const);
  const theme = useSyncExternalStore(subscribe, () => resolveTheme(readPreference()), () => 'light' as const);
  return { preference, theme };
}
