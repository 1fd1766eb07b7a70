import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Alert, App, Button, Empty, Input, Space, Table, Tag, Tooltip } from 'antd';
import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import type { ConsoleDelivery, ConsoleDeliveryState } from '@contract';
import { NativeSelect } from '../../../components/NativeSelect';
import { RefreshingHint } from '../../../components/RefreshingHint';
import { DateRangeFilter } from '../../../components/filters/DateRangeFilter';
import { TabLinks } from '../../../components/TabLinks';
import { Problem } from '../../../components/Problem';
import { formatDateTime } from '../../../lib/format';
import { tableLoading } from '../../../lib/tableLoading';
import { EVENT_TYPES, eventTypeKey } from './fields';
import { describeError } from './errors';
import { useApps, useDeliveries, useDelivery, useDeliveryAction, type DeliveryFilters } from './queries';
import './apps.css';
import { useClearButton } from '../../../components/clearButton';

const STATES: ConsoleDeliveryState[] = ['pending', 'retrying', 'sending', 'delivered', 'parked'];
const STATE_COLOURS: Record<ConsoleDeliveryState, string> = {
  pending: 'default',
  retrying: 'orange',
  sending: 'blue',
  delivered: 'green',
  parked: 'red',
};
const FILTER_KEYS = ['status', 'event_type', 'app_id', 'process_id', 'from', 'to'] as const;
type FilterKey = (typeof FILTER_KEYS)[number];

/** The filters as the URL has them (`from`/`to` are the days typed, `to` inclusive). */
function readFilters(search: URLSearchParams): Record<FilterKey, string> {
  const out = {} as Record<FilterKey, string>;
  for (const key of FILTER_KEYS) out[key] = search.get(key) ?? '';
  return out;
}

/** What the server is asked: `created_to` is exclusive, so an inclusive last day becomes the next one. */
function apiFilters(filters: Record<FilterKey, string>): DeliveryFilters {
  const day = (value: string) => (/^\d{4}-\d{2}-\d{2}$/.test(value) ? value : undefined);
  const to = day(filters.to);
  return {
    status: filters.status || undefined,
    event_type: filters.event_type || undefined,
    app_id: filters.app_id || undefined,
    process_id: filters.process_id.trim() || undefined,
    created_from: day(filters.from),
    created_to: to ? dayjs(to).add(1, 'day').format('YYYY-MM-DD') : undefined,
  };
}

/** `/console/deliveries`: every event delivery of the tenant, filtered; parked ones on their own tab. */
export default function DeliveriesPage() {
  const { t } = useTranslation(['consoleApps', 'errors']);
  const clear = useClearButton();
  const [search, setSearch] = useSearchParams();
  const filters = useMemo(() => readFilters(search), [search]);
  const parkedTab = filters.status === 'parked';
  const set = (patch: Partial<Record<FilterKey, string>>) => {
    const next = new URLSearchParams(search);
    for (const [key, value] of Object.entries(patch)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setSearch(next, { replace: true });
  };
  const tabSearch = (parked: boolean) => {
    const next = new URLSearchParams(search);
    if (parked) next.set('status', 'parked');
    else next.delete('status');
    const text = next.toString();
    return text ? `?${text}` : '?';
  };
  const apps = useApps();

  return (
    <div className="pf-apps">
      <header className="pf-apps-header">
        <h1>{t('deliveriesTitle')}</h1>
      </header>
      <p className="pf-apps-intro">{t('deliveriesIntro')}</p>
      <TabLinks
        label={t('deliveriesTabs')}
        idPrefix="pf-deliveries-tab"
        active={parkedTab ? 'parked' : 'all'}
        tabs={[
          { key: 'all', to: tabSearch(false), label: t('tabAll') },
          { key: 'parked', to: tabSearch(true), label: t('tabParked') },
        ]}
      />
      <div
        id="pf-deliveries-tab-panel"
        role="tabpanel"
        aria-labelledby={`pf-deliveries-tab-${parkedTab ? 'parked' : 'all'}`}
      >
        {parkedTab && <Alert className="pf-apps-parked-help" type="info" showIcon title={t('parkedHelp')} />}
        <form
          className="pf-deliveries-filters"
          aria-label={t('filters')}
          onSubmit={(event) => {
            event.preventDefault();
          }}
        >
          {!parkedTab && (
            <label>
              <span>{t('status')}</span>
              <NativeSelect
                value={filters.status}
                onValueChange={(value) => {
                  set({ status: value });
                }}
                options={[
                  { value: '', label: t('anyStatus') },
                  ...STATES.map((state) => ({ value: state, label: t(`state.${state}`) })),
                ]}
              />
            </label>
          )}
          <label>
            <span>{t('eventTypeColumn')}</span>
            <NativeSelect
              value={filters.event_type}
              onValueChange={(value) => {
                set({ event_type: value });
              }}
              options={[
                { value: '', label: t('anyEventType') },
                ...EVENT_TYPES.map((type) => ({ value: type, label: t(eventTypeKey(type) ?? type) })),
              ]}
            />
          </label>
          <label>
            <span>{t('app')}</span>
            <NativeSelect
              value={filters.app_id}
              onValueChange={(value) => {
                set({ app_id: value });
              }}
              options={[
                { value: '', label: t('anyApp') },
                ...(apps.data ?? []).map((app) => ({ value: app.app_id, label: app.name })),
                // An app named in the URL that is not (yet) in the list still shows as chosen.
                ...(filters.app_id && !(apps.data ?? []).some((app) => app.app_id === filters.app_id)
                  ? [{ value: filters.app_id, label: filters.app_id }]
                  : []),
              ]}
            />
          </label>
          <label>
            <span>{t('processId')}</span>
            <Input
              value={filters.process_id}
              maxLength={64}
              allowClear={clear}
              onChange={(event) => {
                set({ process_id: event.target.value.replace(/[^A-Za-z0-9_-]/g, '') });
              }}
            />
          </label>
          <div className="pf-deliveries-range">
            <span aria-hidden>{t('createdBetween')}</span>
            <DateRangeFilter
              label={t('createdBetween')}
              startLabel={t('from')}
              endLabel={t('to')}
              from={filters.from}
              to={filters.to}
              onChange={(range) => {
                set(range);
              }}
            />
          </div>
        </form>
        <DeliveryTable key={search.toString()} filters={apiFilters(filters)} />
      </div>
    </div>
  );
}

function DeliveryTable({ filters }: { filters: DeliveryFilters }) {
  const { t, i18n } = useTranslation(['consoleApps', 'errors']);
  const { message } = App.useApp();
  // Keyset pages: the tokens of the pages before this one, to go back.
  const [tokens, setTokens] = useState<(string | undefined)[]>([undefined]);
  const token = tokens[tokens.length - 1];
  const page = useDeliveries(filters, token);
  const pageLoading = tableLoading(page);
  const act = useDeliveryAction();

  if (page.isError) return <Problem title={t('loadFailed')} text={describeError(t, page.error)} />;
  const run = (delivery: ConsoleDelivery, action: 'retry' | 'resend') => {
    act.mutate(
      { deliveryId: delivery.delivery_id, action },
      {
        onSuccess: () => void message.success(t(action === 'retry' ? 'retried' : 'resent')),
        onError: (error) => void message.error(describeError(t, error)),
      },
    );
  };
  const typeName = (type: string) => {
    const key = eventTypeKey(type);
    return key ? t(key) : type;
  };
  const when = (iso: string | null) => (iso ? formatDateTime(iso, i18n.language) : '—');
  return (
    <>
      {/* The log polls every few seconds: a refresh says so here and leaves the rows readable. */}
      <div className="pf-deliveries-refresh">
        <RefreshingHint active={pageLoading.refreshing} />
      </div>
      <Table<ConsoleDelivery>
        rowKey="delivery_id"
        loading={pageLoading.loading}
        dataSource={page.data?.items ?? []}
        pagination={false}
        scroll={{ x: 1080 }}
        size="middle"
        locale={{ emptyText: <Empty description={t('noDeliveries')} /> }}
        expandable={{
          expandedRowRender: (delivery) => <EventBody deliveryId={delivery.delivery_id} />,
        }}
        columns={[
          { title: t('created'), key: 'created', render: (_, d) => when(d.created_at), width: 150 },
          { title: t('app'), key: 'app', render: (_, d) => d.app?.name ?? '—' },
          {
            title: t('eventTypeColumn'),
            key: 'type',
            render: (_, d) => (
              <Tooltip title={d.event_type}>
                <span>{typeName(d.event_type)}</span>
              </Tooltip>
            ),
          },
          {
            title: t('processId'),
            key: 'process',
            // A whole id (19 digits) on one line: the status beside it must not cover its end.
            width: 190,
            render: (_, d) => <code className="pf-deliveries-nowrap">{d.process_id}</code>,
          },
          {
            title: t('status'),
            key: 'status',
            width: 110,
            render: (_, d) => <Tag color={STATE_COLOURS[d.status]}>{t(`state.${d.status}`)}</Tag>,
          },
          { title: t('attempts'), dataIndex: 'attempts', align: 'right', width: 90 },
          {
            title: t('nextOrDone'),
            key: 'next',
            render: (_, d) =>
              d.status === 'delivered'
                ? t('deliveredAt', { when: when(d.delivered_at) })
                : d.next_attempt_at
                  ? t('nextAttemptAt', { when: when(d.next_attempt_at) })
                  : '—',
          },
          {
            title: t('lastError'),
            key: 'error',
            render: (_, d) =>
              d.last_error ? <span className="pf-deliveries-error">{d.last_error}</span> : '—',
          },
          {
            title: t('actions'),
            key: 'actions',
            fixed: 'right',
            render: (_, d) => (
              <Space size="small" wrap>
                {(d.status === 'pending' || d.status === 'retrying' || d.status === 'parked') && (
                  <Button
                    size="small"
                    aria-label={t('retryOf', { id: d.delivery_id })}
                    onClick={() => {
                      run(d, 'retry');
                    }}
                  >
                    {t('retry')}
                  </Button>
                )}
                {(d.status === 'delivered' || d.status === 'parked') && (
                  <Button
                    size="small"
                    type={d.status === 'parked' ? 'primary' : 'default'}
                    aria-label={t('resendOf', { id: d.delivery_id })}
                    onClick={() => {
                      run(d, 'resend');
                    }}
                  >
                    {t('resend')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      {(tokens.length > 1 || page.data?.page_token) && (
        <nav className="pf-deliveries-pager" aria-label={t('pages')}>
          <Button
            icon={<LeftOutlined aria-hidden />}
            disabled={tokens.length === 1}
            onClick={() => {
              setTokens(tokens.slice(0, -1));
            }}
          >
            {t('newer')}
          </Button>
          <Button
            disabled={!page.data?.page_token}
            onClick={() => {
              setTokens([...tokens, page.data?.page_token]);
            }}
          >
            {t('older')} <RightOutlined aria-hidden />
          </Button>
        </nav>
      )}
    </>
  );
}

/** The event as it was (or will be) delivered, fetched when its row is opened. */
function EventBody({ deliveryId }: { deliveryId: string }) {
  const { t } = useTranslation(['consoleApps', 'errors']);
  const delivery = useDelivery(deliveryId);
  if (delivery.isError) return <Alert type="error" showIcon title={describeError(t, delivery.error)} />;
  if (!delivery.data) return <span className="pf-apps-muted">{t('loading')}</span>;
  return (
    <div className="pf-deliveries-event">
      <p className="pf-apps-muted">
        {t('eventId')}: <code>{delivery.data.event_id}</code> · {t('deliveryId')}: <code>{deliveryId}</code> ·{' '}
        {t(`mode.${delivery.data.mode}`)}
      </p>
      <pre className="pf-apps-pre" aria-label={t('eventBody')}>
        {JSON.stringify(delivery.data.event, null, 2)}
      </pre>
    </div>
  );
}
