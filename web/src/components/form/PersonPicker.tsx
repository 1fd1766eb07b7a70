import { useMemo, useRef, useState } from 'react';
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PersonRef } from '@contract';
import { localized } from '../../lib/language';
import { usePeopleSearch } from './queries';
import { useClearButton } from '../clearButton';

interface Props {
  id?: string;
  value?: string | string[];
  onChange?: (value: string | string[] | undefined) => void;
  multiple?: boolean;
  /** People already known (from the process), so chosen values show names before any search. */
  known?: Record<string, PersonRef>;
  'aria-label'?: string;
  'aria-invalid'?: boolean | 'true' | 'false';
  'aria-describedby'?: string;
  disabled?: boolean;
  placeholder?: string;
  /** People not to offer (the person themself, for a transfer). */
  exclude?: readonly string[];
  status?: 'error' | 'warning';
}

/** Searches active people by name (GET /api/v1/people) and picks one or several user_ids. */
export function PersonPicker({
  id,
  value,
  onChange,
  multiple,
  known,
  disabled,
  placeholder,
  exclude,
  status,
  ...rest
}: Props) {
  const { t, i18n } = useTranslation('request');
  const clear = useClearButton();
  const [query, setQuery] = useState('');
  const people = usePeopleSearch(query);
  // Names of everyone seen, so a chosen person keeps their label when the search changes.
  const seen = useRef(new Map<string, PersonRef>());
  for (const p of Object.values(known ?? {})) seen.current.set(p.user_id, p);
  for (const p of people.data?.items ?? []) seen.current.set(p.user_id, p);

  const chosen = value === undefined ? [] : Array.isArray(value) ? value : [value];
  const options = useMemo(() => {
    const excluded = new Set(exclude ?? []);
    const found = (people.data?.items ?? []).filter((p) => p.active && !excluded.has(p.user_id));
    const ids = new Set(found.map((p) => p.user_id));
    const extra = chosen.filter((c) => !ids.has(c)).map((c) => seen.current.get(c) ?? null);
    const label = (p: PersonRef) => {
      const dept = p.department ? ` · ${localized(p.department.name, i18n.language)}` : '';
      return `${localized(p.name, i18n.language)}${dept}`;
    };
    return [
      ...extra.filter((p): p is PersonRef => p !== null).map((p) => ({ value: p.user_id, label: label(p) })),
      ...chosen.filter((c) => !seen.current.has(c)).map((c) => ({ value: c, label: c })),
      ...found.map((p) => ({ value: p.user_id, label: label(p) })),
    ];
  }, [people.data, chosen, exclude, i18n.language]);

  return (
    <Select<string | string[]>
      id={id}
      aria-label={rest['aria-label']}
      aria-invalid={rest['aria-invalid']}
      aria-describedby={rest['aria-describedby']}
      mode={multiple ? 'multiple' : undefined}
      allowClear={clear}
      value={value}
      onChange={(v) => onChange?.(v)}
      showSearch={{ filterOption: false, onSearch: setQuery }}
      options={options}
      loading={people.isFetching}
      disabled={disabled}
      status={status}
      placeholder={placeholder ?? t('picker.person_placeholder')}
      notFoundContent={people.isFetching ? t('picker.searching') : t('picker.nobody_found')}
      style={{ width: '100%' }}
    />
  );
}
