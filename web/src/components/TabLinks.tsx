import { useRef, type KeyboardEvent, type ReactNode } from 'react';
import { Link } from 'react-router-dom';

export interface TabLink {
  key: string;
  to: string;
  label: ReactNode;
}

/**
 * Tabs that are links (each tab has its own URL): the ARIA tab pattern — one tab stop, arrow keys
 * move between tabs, Enter or a click opens one. Lighter than a tabs widget with overflow menus.
 */
export function TabLinks({
  tabs,
  active,
  label,
  idPrefix,
  onOpen,
}: {
  tabs: TabLink[];
  active: string;
  label: string;
  idPrefix: string;
  onOpen?: (key: string) => void;
}) {
  const refs = useRef<(HTMLAnchorElement | null)[]>([]);
  const onKeyDown = (event: KeyboardEvent<HTMLAnchorElement>, index: number) => {
    let next: number | undefined;
    if (event.key === 'ArrowRight') next = (index + 1) % tabs.length;
    else if (event.key === 'ArrowLeft') next = (index - 1 + tabs.length) % tabs.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = tabs.length - 1;
    else if (event.key === ' ') {
      event.preventDefault();
      event.currentTarget.click();
      return;
    }
    if (next === undefined) return;
    event.preventDefault();
    refs.current[next]?.focus();
  };
  return (
    <div role="tablist" aria-label={label} className="pf-tabs">
      {tabs.map((tab, index) => {
        const selected = tab.key === active;
        return (
          <Link
            key={tab.key}
            id={`${idPrefix}-${tab.key}`}
            to={tab.to}
            role="tab"
            aria-selected={selected}
            aria-controls={`${idPrefix}-panel`}
            tabIndex={selected ? 0 : -1}
            className={`pf-tab${selected ? ' pf-tab-active' : ''}`}
            ref={(element) => {
              refs.current[index] = element;
            }}
            onKeyDown={(event) => {
              onKeyDown(event, index);
            }}
            onClick={() => onOpen?.(tab.key)}
          >
            {tab.label}
          </Link>
        );
      })}
    </div>
  );
}
