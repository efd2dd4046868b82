import { useRef, type KeyboardEvent, type ReactNode } from 'react';

/** The DOM ids of a tab and its panel, so each can point at the other. */
export function tabIds(base: string, id: string): { tab: string; panel: string } {
  return { tab: `${base}-tab-${id}`, panel: `${base}-panel-${id}` };
}

/**
 * A tablist (WAI-ARIA "tabs" pattern, automatic activation): one tab stop, the arrow keys, Home
 * and End move between the tabs and select them. The caller keeps the selection (in the URL) and
 * renders the selected panel with <TabPanel>.
 */
export function Tabs<T extends string>({
  label,
  idBase,
  tabs,
  selected,
  onSelect,
}: {
  label: string;
  idBase: string;
  tabs: readonly { id: T; label: ReactNode }[];
  selected: T;
  onSelect: (id: T) => void;
}) {
  const refs = useRef(new Map<T, HTMLButtonElement>());

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const index = tabs.findIndex((tab) => tab.id === selected);
    let next: number;
    switch (event.key) {
      case 'ArrowRight':
        next = (index + 1) % tabs.length;
        break;
      case 'ArrowLeft':
        next = (index - 1 + tabs.length) % tabs.length;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = tabs.length - 1;
        break;
      default:
        return;
    }
    event.preventDefault();
    const tab = tabs[next];
    if (!tab) return;
    onSelect(tab.id);
    refs.current.get(tab.id)?.focus();
  }

  return (
    <div className="tabs detail-tabs" role="tablist" aria-label={label} onKeyDown={onKeyDown}>
      {tabs.map((tab) => {
        const ids = tabIds(idBase, tab.id);
        const isSelected = tab.id === selected;
        return (
          <button
            key={tab.id}
            ref={(element) => {
              if (element) refs.current.set(tab.id, element);
              else refs.current.delete(tab.id);
            }}
            type="button"
            role="tab"
            id={ids.tab}
            aria-selected={isSelected}
            aria-controls={isSelected ? ids.panel : undefined}
            tabIndex={isSelected ? 0 : -1}
            className={isSelected ? 'tabs__tab is-active' : 'tabs__tab'}
            onClick={() => { onSelect(tab.id); }}
          >
            {tab.label}
          </button>
        );
      })}
    </div>
  );
}

/** The selected tab's panel, labelled by its tab. */
export function TabPanel({ idBase, id, children }: { idBase: string; id: string; children: ReactNode }) {
  const ids = tabIds(idBase, id);
  return (
    <div role="tabpanel" id={ids.panel} aria-labelledby={ids.tab} tabIndex={0} className="detail-panel">
      {children}
    </div>
  );
}
