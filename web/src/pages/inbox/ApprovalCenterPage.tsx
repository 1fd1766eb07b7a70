import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Navigate, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { Alert, App, Badge, Button, Checkbox, Empty, Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import type { InboxItem, InboxTab } from '@contract';
import { useBatchApprove, useInboxCounts, useInboxPage, useTaskDecision } from '../../api/inbox';
import { useAppPath } from '../../app/paths';
import { describeError } from '../../lib/errors';
import {
  filtersToSearch,
  hasActiveFilters,
  INBOX_TABS,
  isInboxTab,
  PAGE_SIZE,
  parseFilters,
  withFilters,
  type InboxFilters,
} from '../../lib/inboxFilters';
import { localized } from '../../lib/language';
import { tableLoading } from '../../lib/tableLoading';
import { moveIndex, shortcutFor } from '../../lib/shortcuts';
import { FiltersBar } from './FiltersBar';
import { InboxRow } from './InboxRow';
import { RefreshingHint } from '../../components/RefreshingHint';
import { TabLinks } from '../../components/TabLinks';
import { Pager } from './Pager';
import type { Decision } from './DecisionDialog';
import './inbox.css';

// Loaded on first use: keeps forms and dialogs out of the approval center's first load.
const DecisionDialog = lazy(() => import('./DecisionDialog'));
const ShortcutsDialog = lazy(() => import('./ShortcutsDialog'));

/** `/approval-center/:tab`: the four lists, filters in the URL, keyboard-first. */
export default function ApprovalCenterPage() {
  const { tab } = useParams();
  const appPath = useAppPath();
  if (!isInboxTab(tab)) return <Navigate to={appPath('/approval-center/todo')} replace />;
  return <ApprovalCenter tab={tab} />;
}

function ApprovalCenter({ tab }: { tab: InboxTab }) {
  const { t, i18n } = useTranslation(['inbox', 'common', 'errors']);
  const { message } = App.useApp();
  const appPath = useAppPath();
  const navigate = useNavigate();
  const [search, setSearch] = useSearchParams();
  const filters = useMemo(() => parseFilters(search), [search]);
  const counts = useInboxCounts();
  const list = useInboxPage(tab, filters);
  const batch = useBatchApprove();
  const decide = useTaskDecision();
  const items = useMemo(() => list.data?.items ?? [], [list.data]);
  const listLoading = tableLoading(list);

  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [active, setActive] = useState(-1);
  const [deciding, setDeciding] = useState<{ item: InboxItem; decision: Decision } | null>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  const rowLinks = useRef<(HTMLAnchorElement | null)[]>([]);

  // A new tab, filter or page starts with nothing selected.
  useEffect(() => {
    setSelected(new Set());
    setActive(-1);
  }, [tab, search]);

  // The list changed under the selection (an approved to-do left it): keep a row selected.
  useEffect(() => {
    if (active >= items.length) setActive(items.length - 1);
  }, [items, active]);

  const setFilters = useCallback(
    (next: InboxFilters) => {
      setSearch(filtersToSearch(next));
    },
    [setSearch],
  );

  const name = (item: InboxItem) => localized(item.initiator.name, i18n.language);
  const flowName = (item: InboxItem) => localized(item.flow.name, i18n.language);
  const processPath = (item: InboxItem) =>
    appPath(`/approval-center/processes/${encodeURIComponent(item.process_id)}`);

  // a: approve, r: reject — each through a dialog confirmed with "Confirm" (Enter), so a stray key
  // press never decides anything by itself.
  const startDecision = useCallback(
    (item: InboxItem, decision: Decision) => {
      if (tab !== 'todo' || !item.task_id) {
        void message.info(t('notYours'));
        return;
      }
      setDeciding({ item, decision });
    },
    [tab, message, t],
  );

  // j/k move, Enter opens, a approves, r rejects, ? shows the keys. Never while typing or in a dialog.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (deciding || helpOpen || event.defaultPrevented) return;
      const target = event.target instanceof HTMLElement ? event.target : null;
      if (target?.closest('[role="dialog"]')) return;
      const action = shortcutFor({
        key: event.key,
        ctrlKey: event.ctrlKey,
        metaKey: event.metaKey,
        altKey: event.altKey,
        target,
      });
      if (!action) return;
      const current = items[active];
      switch (action) {
        case 'help':
          setHelpOpen(true);
          break;
        case 'next':
        case 'prev': {
          const index = moveIndex(active, items.length, action);
          if (index < 0) return;
          setActive(index);
          rowLinks.current[index]?.focus();
          break;
        }
        case 'open':
          if (!current) return;
          void navigate(processPath(current));
          break;
        case 'approve':
        case 'reject':
          if (!current) return;
          startDecision(current, action);
          break;
      }
      event.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
    };
  }, [items, active, deciding, helpOpen, startDecision, navigate]);

  const approvable = items.filter((item) => tab === 'todo' && item.batch_approvable && item.task_id);
  const selectedItems = approvable.filter((item) => selected.has(item.process_id + (item.task_id ?? '')));

  const approveSelected = () => {
    batch.mutate(
      { items: selectedItems.map((item) => ({ process_id: item.process_id, task_id: item.task_id ?? '' })) },
      {
        onSuccess: (result) => {
          const ok = result.results.filter((r) => r.ok).length;
          const failed = result.results.filter((r) => !r.ok);
          if (ok > 0) void message.success(t('batchDone', { count: ok }));
          if (failed.length > 0)
            void message.error(
              t('batchFailed', { count: failed.length, reason: describeError(t, failed[0]?.error) }),
            );
          setSelected(new Set());
        },
        onError: (error) => void message.error(describeError(t, error)),
      },
    );
  };

  const tabLabel = (key: InboxTab) => {
    const count = counts.data?.[key];
    return (
      <span className="pf-tab-label">
        {t(`tabs.${key}`)}
        {count !== undefined && (
          <Badge
            count={count}
            showZero
            overflowCount={999}
            color={key === 'todo' && count > 0 ? '#c4320a' : '#5b6472'}
            className="pf-tab-badge"
          />
        )}
      </span>
    );
  };

  // Switching tabs keeps the search and flow; status and overdue belong to one tab's meaning.
  const tabSearch = (key: InboxTab) => {
    const search = filtersToSearch({
      ...filters,
      page: 1,
      status: key === 'todo' ? '' : filters.status,
      overdue: key === 'todo' ? filters.overdue : false,
    }).toString();
    return search ? `?${search}` : '';
  };

  const total = list.data?.total;
  const page = list.data?.page ?? filters.page;

  return (
    <div className="pf-inbox">
      <div className="pf-inbox-head">
        <div className="pf-inbox-title">
          <h1 className="pf-page-title">{t('title')}</h1>
          <RefreshingHint active={listLoading.refreshing} />
        </div>
        <Button
          type="text"
          onClick={() => {
            setHelpOpen(true);
          }}
          aria-keyshortcuts="?"
        >
          {t('shortcutsButton')} <kbd className="pf-kbd">?</kbd>
        </Button>
      </div>
      <TabLinks
        idPrefix="pf-inbox-tab"
        label={t('tabsLabel')}
        active={tab}
        tabs={INBOX_TABS.map((key) => ({
          key,
          label: tabLabel(key),
          to: `${appPath(`/approval-center/${key}`)}${tabSearch(key)}`,
        }))}
      />
      <div role="tabpanel" id="pf-inbox-tab-panel" aria-labelledby={`pf-inbox-tab-${tab}`}>
        <FiltersBar tab={tab} filters={filters} onChange={setFilters} />

        {tab === 'todo' && approvable.length > 0 && (
          <div className="pf-batch" role="group" aria-label={t('approveSelected')}>
            <Checkbox
              checked={selectedItems.length > 0 && selectedItems.length === approvable.length}
              indeterminate={selectedItems.length > 0 && selectedItems.length < approvable.length}
              onChange={(event) => {
                setSelected(
                  event.target.checked
                    ? new Set(approvable.map((item) => item.process_id + (item.task_id ?? '')))
                    : new Set(),
                );
              }}
            >
              {t('selectAll')}
            </Checkbox>
            <span className="pf-batch-count" aria-live="polite">
              {t('selected', { count: selectedItems.length })}
            </span>
            <Button
              type="primary"
              disabled={selectedItems.length === 0}
              loading={batch.isPending}
              onClick={approveSelected}
            >
              {t('approveSelected')}
            </Button>
          </div>
        )}

        {list.isError && (
          <Alert
            type="error"
            showIcon
            role="alert"
            title={t('loadFailed')}
            description={describeError(t, list.error)}
            action={<Button onClick={() => void list.refetch()}>{t('common:retry')}</Button>}
          />
        )}
        {list.isPending && <Skeleton active paragraph={{ rows: 6 }} />}
        {list.data && items.length === 0 && (
          <Empty
            className="pf-empty"
            description={hasActiveFilters(filters) ? t('empty.filtered') : t(`empty.${tab}`)}
          />
        )}
        {items.length > 0 && (
          <>
            {total !== undefined && (
              <p className="pf-results" aria-live="polite">
                {t('results', { count: total })}
              </p>
            )}
            <ul className="pf-rows" aria-label={t('list')} aria-busy={listLoading.loading}>
              {items.map((item, index) => {
                const key = item.process_id + (item.task_id ?? '');
                return (
                  <InboxRow
                    key={key}
                    item={item}
                    tab={tab}
                    href={processPath(item)}
                    active={index === active}
                    selectable={tab === 'todo' && item.batch_approvable && Boolean(item.task_id)}
                    selected={selected.has(key)}
                    onSelect={(checked) => {
                      setSelected((previous) => {
                        const next = new Set(previous);
                        if (checked) next.add(key);
                        else next.delete(key);
                        return next;
                      });
                    }}
                    onFocus={() => {
                      setActive(index);
                    }}
                    linkRef={(element) => {
                      rowLinks.current[index] = element;
                    }}
                  />
                );
              })}
            </ul>
            <Pager
              page={page}
              lastPage={
                total !== undefined
                  ? Math.max(1, Math.ceil(total / PAGE_SIZE))
                  : list.data?.page_token
                    ? undefined
                    : page
              }
              hasNext={Boolean(list.data?.page_token)}
              onPage={(next) => {
                setFilters(withFilters(filters, { page: next }));
              }}
            />
          </>
        )}
      </div>
      <Suspense fallback={null}>
        {deciding && (
          <DecisionDialog
            item={deciding.item}
            decision={deciding.decision}
            onClose={() => {
              setDeciding(null);
            }}
            onDecide={(item, opinion) =>
              decide
                .mutateAsync({ item, decision: deciding.decision, ...(opinion ? { opinion } : {}) })
                .then(() => {
                  void message.success(
                    t(deciding.decision === 'reject' ? 'rejected' : 'approved', {
                      flow: flowName(item),
                      name: name(item),
                    }),
                  );
                })
            }
          />
        )}
        {helpOpen && (
          <ShortcutsDialog
            open
            onClose={() => {
              setHelpOpen(false);
            }}
          />
        )}
      </Suspense>
    </div>
  );
}
