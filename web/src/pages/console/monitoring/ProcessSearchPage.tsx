import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Alert, Button, InputNumber, Select, Table, Tag, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { MonitoredProcess } from '@contract';
import { useAppPath } from '../../../app/paths';
import { NativeSelect } from '../../../components/NativeSelect';
import { RefreshingHint } from '../../../components/RefreshingHint';
import { DateRangeFilter } from '../../../components/filters/DateRangeFilter';
import { FlowFilter } from '../../../components/filters/FlowFilter';
import { DepartmentPicker } from '../../../components/form/DepartmentPicker';
import { PersonPicker } from '../../../components/form/PersonPicker';
import { describeError } from '../../../lib/errors';
import { formatDateTime, waitedFor } from '../../../lib/format';
import { localized } from '../../../lib/language';
import { tableLoading } from '../../../lib/tableLoading';
import { Pager } from '../../inbox/Pager';
import {
  filtersFromUrl,
  filtersToUrl,
  MONITOR_STATUSES,
  withFilters,
  type MonitorFilters,
} from '../../../lib/monitorFilters';
import { exportUrl, useFilterOptions, useProcessSearch } from './queries';
import './monitoring.css';
import { useClearButton } from '../../../components/clearButton';

/** Process monitoring: search every process the person administers, CSV export (owner: h-monitor). */
export default function ProcessSearchPage() {
  const { t, i18n } = useTranslation(['consoleMonitor', 'common', 'errors']);
  const clear = useClearButton();
  const lang = i18n.language;
  const appPath = useAppPath();
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => filtersFromUrl(params), [params]);
  const set = (patch: Partial<MonitorFilters>) => {
    setParams(filtersToUrl(withFilters(filters, patch)));
  };
  const options = useFilterOptions();
  const search = useProcessSearch(filters);
  const searchLoading = tableLoading(search);
  const flows = options.data?.flows ?? [];
  // Nodes of the chosen flow, or of every flow (by id) when none is chosen.
  const nodes = useMemo(() => {
    const out = new Map<string, string>();
    for (const flow of flows)
      if (filters.flow === '' || flow.flow_id === filters.flow)
        for (const node of flow.nodes)
          if (!out.has(node.node_id)) out.set(node.node_id, localized(node.name, lang));
    return [...out].map(([value, label]) => ({ value, label }));
  }, [flows, filters.flow, lang]);
  const now = Date.now();

  const waiting = (row: MonitoredProcess) => {
    if (!row.waiting_since) return '—';
    const waited = waitedFor(row.waiting_since, now);
    return t(`waited.${waited.unit}`, { count: waited.count });
  };

  return (
    <div className="pf-monitor">
      <div className="pf-monitor-head">
        <div className="pf-monitor-title">
          <h1 className="pf-page-title">{t('title')}</h1>
          <RefreshingHint active={searchLoading.refreshing} />
        </div>
        <Link to={appPath('/console/processes/failed-jobs')}>{t('consoleTimers:jobs.failedLink')}</Link>
        <Button
          href={exportUrl(filters, lang)}
          download
          icon={<DownloadOutlined aria-hidden />}
          aria-label={t('exportCsv')}
        >
          {t('exportCsv')}
        </Button>
      </div>
      <search className="pf-monitor-filters" aria-label={t('filters')}>
        <Select
          mode="multiple"
          allowClear={clear}
          className="pf-monitor-status"
          aria-label={t('status')}
          placeholder={t('allStatuses')}
          value={filters.status}
          onChange={(status) => {
            set({ status });
          }}
          options={MONITOR_STATUSES.map((s) => ({ value: s, label: t(`common:status.${s}`) }))}
        />
        <FlowFilter
          className="pf-monitor-flow"
          label={t('flow')}
          allLabel={t('allFlows')}
          flows={flows}
          value={filters.flow}
          onChange={(flow) => {
            set({ flow, node: '' });
          }}
        />
        <NativeSelect
          aria-label={t('currentNode')}
          className="pf-monitor-node"
          value={filters.node}
          onValueChange={(node) => {
            set({ node });
          }}
          options={[{ value: '', label: t('anyNode') }, ...nodes]}
        />
        <div className="pf-monitor-person">
          <PersonPicker
            aria-label={t('initiator')}
            placeholder={t('initiator')}
            value={filters.initiator || undefined}
            onChange={(value) => {
              set({ initiator: typeof value === 'string' ? value : '' });
            }}
          />
        </div>
        <div className="pf-monitor-department">
          <DepartmentPicker
            aria-label={t('department')}
            value={filters.department || undefined}
            onChange={(value) => {
              set({ department: value ?? '' });
            }}
          />
        </div>
        <label className="pf-monitor-waiting">
          <span>{t('waitingMoreThan')}</span>
          <InputNumber
            min={0}
            max={3650}
            precision={0}
            aria-label={t('waitingDays')}
            value={filters.waiting === '' ? null : Number(filters.waiting)}
            onChange={(value) => {
              set({ waiting: value === null ? '' : String(value) });
            }}
            style={{ width: 80 }}
          />
          <span>{t('days')}</span>
        </label>
        <DateRangeFilter
          className="pf-monitor-dates"
          label={t('startedBetween')}
          startLabel={`${t('startedBetween')}: ${t('from')}`}
          endLabel={`${t('startedBetween')}: ${t('to')}`}
          from={filters.from}
          to={filters.to}
          onChange={(range) => {
            set(range);
          }}
        />
        <NativeSelect<MonitorFilters['sort']>
          aria-label={t('sort')}
          value={filters.sort}
          onValueChange={(sort) => {
            set({ sort });
          }}
          options={[
            { value: 'newest', label: t('sortNewest') },
            { value: 'waiting', label: t('sortWaiting') },
          ]}
        />
        <Button
          type="link"
          onClick={() => {
            setParams(new URLSearchParams());
          }}
        >
          {t('clearFilters')}
        </Button>
      </search>

      {search.error ? (
        <Alert type="error" showIcon title={describeError(t, search.error)} />
      ) : (
        <Table<MonitoredProcess>
          rowKey="process_id"
          size="middle"
          loading={searchLoading.loading}
          pagination={false}
          scroll={{ x: 960 }}
          dataSource={search.data?.items ?? []}
          locale={{ emptyText: t('noResults') }}
          columns={[
            {
              key: 'flow',
              title: t('colProcess'),
              render: (_, row) => (
                <div>
                  <Link to={appPath(`/console/processes/${row.process_id}`)}>
                    {localized(row.flow.name, lang)}
                  </Link>
                  <div className="pf-muted">
                    {t('version', { version: row.flow.version })} · {row.process_id}
                  </div>
                </div>
              ),
            },
            {
              key: 'initiator',
              title: t('initiator'),
              render: (_, row) => (
                <span>
                  {localized(row.initiator.name, lang)}
                  {row.initiator.department && (
                    <span className="pf-muted"> · {localized(row.initiator.department.name, lang)}</span>
                  )}
                </span>
              ),
            },
            {
              key: 'status',
              title: t('status'),
              render: (_, row) => <Tag>{t(`common:status.${row.status}`)}</Tag>,
            },
            {
              key: 'current',
              title: t('currentNode'),
              render: (_, row) =>
                row.current_nodes.length === 0
                  ? '—'
                  : row.current_nodes.map((node) => (
                      <div key={node.node_id}>
                        {localized(node.name, lang)}:{' '}
                        {node.assignees.map((a) => (
                          <span key={a.user_id} className={a.active ? undefined : 'pf-left'}>
                            {localized(a.name, lang)}
                            {!a.active && ` (${t('left')})`}{' '}
                          </span>
                        ))}
                      </div>
                    )),
            },
            {
              key: 'started',
              title: t('startedAt'),
              render: (_, row) => formatDateTime(row.started_at, lang),
            },
            { key: 'waiting', title: t('waiting'), render: (_, row) => waiting(row) },
          ]}
        />
      )}
      {search.data && (
        <Pager
          page={search.data.page}
          lastPage={search.data.lastPage}
          hasNext={Boolean(search.data.page_token)}
          onPage={(page) => {
            set({ page });
          }}
        />
      )}
      <Typography.Paragraph type="secondary" className="pf-monitor-note">
        {t('exportNote')}
      </Typography.Paragraph>
    </div>
  );
}
