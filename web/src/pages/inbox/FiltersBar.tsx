import { useEffect, useState } from 'react';
import { Button, Checkbox, Input } from 'antd';
import { FilterOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { InboxTab } from '@contract';
import { useFlows } from '../request/queries';
import { NativeSelect } from '../../components/NativeSelect';
import {
  DEFAULT_FILTERS,
  hasActiveFilters,
  PROCESS_STATUSES,
  withFilters,
  type InboxFilters,
} from '../../lib/inboxFilters';
import { localized } from '../../lib/language';

/** Search, flow, status, start-date range, overdue, sort: every change lands in the URL. */
export function FiltersBar({
  tab,
  filters,
  onChange,
}: {
  tab: InboxTab;
  filters: InboxFilters;
  onChange: (next: InboxFilters) => void;
}) {
  const { t, i18n } = useTranslation(['inbox', 'common']);
  const flows = useFlows();
  const [text, setText] = useState(filters.query);
  // Phones show the search and a "Filters" button; the rest opens below it.
  const [open, setOpen] = useState(false);
  const active = [filters.flow_id, filters.status, filters.from || filters.to, filters.overdue].filter(
    Boolean,
  ).length;
  useEffect(() => {
    setText(filters.query);
  }, [filters.query]);
  const set = (patch: Partial<InboxFilters>) => {
    onChange(withFilters(filters, patch));
  };
  const flowOptions = (flows.data ?? []).map((flow) => ({
    value: flow.flow_id,
    label: localized(flow.name, i18n.language),
  }));
  // A flow named in the URL but not offered (not startable by this person) still shows as chosen.
  if (filters.flow_id && !flowOptions.some((o) => o.value === filters.flow_id))
    flowOptions.push({ value: filters.flow_id, label: filters.flow_id });

  return (
    <search className={`pf-filters${open ? ' pf-filters-open' : ''}`} aria-label={t('filters')}>
      <Input.Search
        className="pf-filter-search"
        aria-label={t('search')}
        placeholder={t('searchPlaceholder')}
        value={text}
        allowClear
        maxLength={200}
        enterButton={false}
        onChange={(event) => {
          setText(event.target.value);
        }}
        onSearch={(value) => {
          set({ query: value.trim() });
        }}
      />
      <Button
        className="pf-filters-toggle"
        icon={<FilterOutlined aria-hidden />}
        aria-expanded={open}
        onClick={() => {
          setOpen((value) => !value);
        }}
      >
        {active > 0 ? `${t('filters')} (${active})` : t('filters')}
      </Button>
      <NativeSelect
        className="pf-filter-flow pf-filter-more"
        aria-label={t('flow')}
        value={filters.flow_id}
        onValueChange={(value) => {
          set({ flow_id: value });
        }}
        options={[{ value: '', label: t('allFlows') }, ...flowOptions]}
      />
      {tab !== 'todo' && (
        <NativeSelect<InboxFilters['status']>
          className="pf-filter-status pf-filter-more"
          aria-label={t('status')}
          value={filters.status}
          onValueChange={(value) => {
            set({ status: value });
          }}
          options={[
            { value: '', label: t('allStatuses') },
            ...PROCESS_STATUSES.map((status) => ({ value: status, label: t(`common:status.${status}`) })),
          ]}
        />
      )}
      <span className="pf-filter-dates pf-filter-more" role="group" aria-label={t('startedBetween')}>
        <input
          type="date"
          className="pf-date"
          aria-label={`${t('startedBetween')}: ${t('startDate')}`}
          value={filters.from}
          max={filters.to || undefined}
          onChange={(event) => {
            set({ from: event.target.value });
          }}
        />
        <span aria-hidden>–</span>
        <input
          type="date"
          className="pf-date"
          aria-label={`${t('startedBetween')}: ${t('endDate')}`}
          value={filters.to}
          min={filters.from || undefined}
          onChange={(event) => {
            set({ to: event.target.value });
          }}
        />
      </span>
      <NativeSelect<InboxFilters['sort']>
        className="pf-filter-sort pf-filter-more"
        aria-label={t('sort')}
        value={filters.sort}
        onValueChange={(value) => {
          set({ sort: value });
        }}
        options={[
          { value: 'newest', label: t('sortNewest') },
          { value: 'oldest', label: t('sortOldest') },
        ]}
      />
      {tab === 'todo' && (
        <Checkbox
          className="pf-filter-more"
          checked={filters.overdue}
          onChange={(event) => {
            set({ overdue: event.target.checked });
          }}
        >
          {t('overdue')}
        </Checkbox>
      )}
      {hasActiveFilters(filters) && (
        <Button
          type="link"
          className="pf-filter-more"
          onClick={() => {
            onChange({ ...DEFAULT_FILTERS, sort: filters.sort });
          }}
        >
          {t('clearFilters')}
        </Button>
      )}
    </search>
  );
}
