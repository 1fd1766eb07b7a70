import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { DownOutlined } from '@ant-design/icons';

export interface ListboxOption<T extends string> {
  value: T;
  label: ReactNode;
  lang?: string;
}

/**
 * A select-only combobox (WAI-ARIA listbox pattern) whose options are real, visible `role="option"`
 * elements: a screen reader, a keyboard and a test all reach them the same way (antd's Select keeps
 * its options in a hidden list that mirrors the visible one). For short lists such as the language.
 */
export function ListboxSelect<T extends string>({
  id,
  labelId,
  value,
  options,
  disabled,
  onChange,
}: {
  id: string;
  labelId: string;
  value: T;
  options: ListboxOption<T>[];
  disabled?: boolean;
  onChange: (value: T) => void;
}) {
  const [open, setOpen] = useState(false);
  const selectedIndex = Math.max(
    0,
    options.findIndex((option) => option.value === value),
  );
  const [active, setActive] = useState(selectedIndex);
  const button = useRef<HTMLButtonElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const listId = `${id}-listbox`;
  const optionId = (index: number) => `${id}-option-${index}`;

  useEffect(() => {
    if (open) list.current?.focus();
  }, [open]);

  const show = (index = selectedIndex) => {
    setActive(index);
    setOpen(true);
  };
  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  };
  const choose = (index: number) => {
    const option = options[index];
    close(true);
    if (option && option.value !== value) onChange(option.value);
  };

  const onButtonKey = (event: KeyboardEvent<HTMLButtonElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      show();
    }
  };
  const onListKey = (event: KeyboardEvent<HTMLUListElement>) => {
    const last = options.length - 1;
    const moves: Record<string, number> = {
      ArrowDown: Math.min(last, active + 1),
      ArrowUp: Math.max(0, active - 1),
      Home: 0,
      End: last,
    };
    if (event.key in moves) {
      event.preventDefault();
      setActive(moves[event.key] ?? active);
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      choose(active);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      close(true);
    } else if (event.key === 'Tab') {
      close(false);
    }
  };

  const current = options[selectedIndex];
  return (
    <div className="pf-listbox-select">
      <button
        ref={button}
        id={id}
        type="button"
        className="pf-select pf-listbox-button"
        aria-haspopup="listbox"
        aria-expanded={open}
        aria-controls={listId}
        aria-labelledby={`${labelId} ${id}`}
        disabled={disabled}
        onClick={() => {
          if (open) close(true);
          else show();
        }}
        onKeyDown={onButtonKey}
      >
        <span lang={current?.lang}>{current?.label}</span>
        <DownOutlined aria-hidden className="pf-listbox-arrow" />
      </button>
      {open && (
        <ul
          ref={list}
          id={listId}
          role="listbox"
          tabIndex={-1}
          aria-labelledby={labelId}
          aria-activedescendant={optionId(active)}
          className="pf-listbox"
          onKeyDown={onListKey}
          onBlur={(event) => {
            if (!event.currentTarget.parentElement?.contains(event.relatedTarget)) close(false);
          }}
        >
          {options.map((option, index) => (
            <li
              key={option.value}
              id={optionId(index)}
              role="option"
              lang={option.lang}
              aria-selected={option.value === value}
              className={`pf-listbox-option${index === active ? ' pf-listbox-option-active' : ''}`}
              onMouseDown={(event) => {
                event.preventDefault(); // keep the focus in the list until chosen
              }}
              onMouseMove={() => {
                setActive(index);
              }}
              onClick={() => {
                choose(index);
              }}
            >
              {option.label}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
