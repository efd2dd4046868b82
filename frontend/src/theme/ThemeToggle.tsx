import { Icon } from '../components/Icon';
import { setPreference, useTheme, type ThemePreference } from './theme';

const NEXT: Record<ThemePreference, ThemePreference> = { system: 'light', light: 'dark', dark: 'system' };
const LABEL: Record<ThemePreference, string> = { system: 'System', light: 'Light', dark: 'Dark' };
const ICON = { system: 'monitor', light: 'sun', dark: 'moon' } as const;

/** Cycles the colour theme: system → light → dark → system. The choice is kept in this browser. */
export function ThemeToggle() {
  const { preference } = useTheme();
  const next = NEXT[preference];
  return (
    <button
      type="button"
      className="icon-button"
      aria-label={`Theme: ${LABEL[preference]}. Switch to ${LABEL[next].toLowerCase()}.`}
      title={`Theme: ${LABEL[preference]}`}
      onClick={() => { setPreference(next); }}
    >
      <Icon name={ICON[preference]} size={18} />
    </button>
  );
}
