/** The inbox's keyboard shortcuts, as the help dialog lists them (keys as `KeyboardEvent.key`). */
export const SHORTCUTS: readonly { keys: readonly string[]; label: string }[] = [
  { keys: ['j', 'k'], label: 'Move to the next or previous issue' },
  { keys: ['Enter'], label: 'Open the focused issue' },
  { keys: ['x'], label: 'Select or deselect the focused issue' },
  { keys: ['Shift', 'x'], label: 'Select every issue from the last one selected to the focused one' },
  { keys: ['e'], label: 'Resolve the selected issues, or the focused one' },
  { keys: ['i'], label: 'Ignore the selected issues, or the focused one' },
  { keys: ['a'], label: 'Archive the selected issues, or the focused one' },
  { keys: ['Escape'], label: 'Clear the selection' },
  { keys: ['/'], label: 'Search' },
  { keys: ['?'], label: 'Show these shortcuts' },
];

const TEXT_INPUT_TYPES = new Set([
  'text', 'search', 'email', 'password', 'number', 'url', 'tel', 'date', 'datetime-local', 'month', 'time', 'week',
]);

/** Whether keys typed at `target` are text (an input, a text area, a select, editable content). */
function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) {
    return true;
  }
  return target instanceof HTMLInputElement && TEXT_INPUT_TYPES.has(target.type);
}

/**
 * Whether a key press may trigger an inbox shortcut: not with Ctrl, Alt or Meta (the browser's and
 * the system's), not while typing (a checkbox with focus does not count), not inside a menu, and
 * not while a dialog is open.
 */
export function isShortcut(event: KeyboardEvent): boolean {
  if (event.altKey || event.ctrlKey || event.metaKey || event.isComposing || isTextEntry(event.target)) return false;
  if (event.target instanceof Element && event.target.closest('[role="menu"], dialog')) return false;
  return document.querySelector('dialog[open]') === null;
}
