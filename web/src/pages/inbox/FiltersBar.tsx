import { useEffect, useState } from 'react';
import { Button, Checkbox } from 'antd';
// The search box alone: `Input` from 'antd' brings TextArea, Password and OTP into the first load.
import Search from 'antd/es/input/Search';
import { FilterOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { InboxTab } from '@contract';
import { useFlows } from '../request/queries';
import { NativeSelect } from '../../components/NativeSelect';
import { DateRangeFilter } from '../../components/filters/DateRangeFilter';
import { FlowFilter } from '../../components/filters/FlowFilter';
import {
  DEFAULT_FILTERS,
  hasActiveFilters,
  PROCESS_STATUSES,
  withFilters,
  type InboxFilters,
} from '../../lib/inboxFilters';
import { useClearButton } from '../../components/clearButton';

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
  const { t } = useTranslation(['inbox', 'common']);
  const clear = useClearButton();
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

  return (
    <search className={`pf-filters${open ? ' pf-filters-open' : ''}`} aria-label={t('filters')}>
      <Search
        className="pf-filter-search"
        aria-label={t('search')}
        placeholder={t('searchPlaceholder')}
        value={text}
        allowClear={clear}
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
      <FlowFilter
        className="pf-filter-flow pf-filter-more"
        label={t('flow')}
        allLabel={t('allFlows')}
        flows={flows.data ?? []}
        value={filters.flow_id}
        onChange={(flow_id) => {
          set({ flow_id });
        }}
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
      <DateRangeFilter
        className="pf-filter-dates pf-filter-more"
        label={t('startedBetween')}
        startLabel={`${t('startedBetween')}: ${t('startDate')}`}
        endLabel={`${t('startedBetween')}: ${t('endDate')}`}
        from={filters.from}
        to={filters.to}
        onChange={(range) => {
          set(range);
        }}
      />
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
