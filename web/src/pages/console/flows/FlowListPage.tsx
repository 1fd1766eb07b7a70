import { useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Alert, App, Button, Input, Popconfirm, Space, Switch, Table, Tag } from 'antd';
import { DeleteOutlined, DownloadOutlined, ImportOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ConsoleFlowSummary } from '@contract';
import { useMe } from '../../../app/me';
import { useAppPath } from '../../../app/paths';
import { describeError } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { localized } from '../../../lib/language';
import { tableLoading } from '../../../lib/tableLoading';
import { Pager } from '../../inbox/Pager';
import NewFlowDialog from './NewFlowDialog';
import { exportUrl, useConsoleFlows, useDeleteFlow, useImportFlow, useSetFlowEnabled } from './queries';
import './flows.css';
import { useClearButton } from '../../../components/clearButton';

/** The largest JSON file the import reads (the server takes 1 MiB bodies). */
const IMPORT_LIMIT = 1024 * 1024;

/** Flow definitions: list, search, create, import, export (owner: h-flows). */
export default function FlowListPage() {
  const { t, i18n } = useTranslation('consoleFlows');
  const clear = useClearButton();
  const { message } = App.useApp();
  const me = useMe();
  const tenantAdmin = me.console.tenant_admin;
  const navigate = useNavigate();
  const appPath = useAppPath();
  const [search, setSearch] = useState('');
  // Page tokens of the pages seen so far: [undefined (first page), token of page 2, …].
  const [tokens, setTokens] = useState<(string | undefined)[]>([undefined]);
  const page = tokens.length;
  const flows = useConsoleFlows(search, tokens.at(-1));
  const setEnabled = useSetFlowEnabled();
  const remove = useDeleteFlow();
  const importFlow = useImportFlow();
  const [creating, setCreating] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const editorPath = (flowId: string, tab = 'flow') =>
    appPath(`/console/flows/${encodeURIComponent(flowId)}/${tab}`);

  const onImportFile = async (file: File | undefined) => {
    if (!file) return;
    if (file.size > IMPORT_LIMIT) {
      void message.error(t('import.tooLarge'));
      return;
    }
    let document: unknown;
    try {
      document = JSON.parse(await file.text());
    } catch {
      void message.error(t('import.notJson'));
      return;
    }
    try {
      const created = await importFlow.mutateAsync(document);
      if (created.problems.length > 0)
        void message.warning(t('import.doneWithProblems', { count: created.problems.length }));
      else void message.success(t('import.done'));
      void navigate(editorPath(created.flow.flow_id));
    } catch (error) {
      const first = (error as { violations?: { field: string; description: string }[] }).violations?.[0];
      void message.error(
        first
          ? t('import.invalid', { field: first.field, description: first.description })
          : describeError(t, error),
      );
    }
  };

  const columns = [
    {
      title: t('list.name'),
      key: 'name',
      render: (_: unknown, flow: ConsoleFlowSummary) => (
        <div className="pf-flow-name-cell">
          <Link to={editorPath(flow.flow_id)} className="pf-flow-name">
            {localized(flow.name, i18n.language) || flow.flow_id}
          </Link>
          <span className="pf-flow-name-meta">
            <span className="pf-flow-biz">{localized(flow.biz_type_name, i18n.language)}</span>
            {flow.has_draft && <Tag className="pf-flow-tag-draft">{t('list.draft')}</Tag>}
          </span>
        </div>
      ),
    },
    {
      title: t('list.versionColumn'),
      key: 'version',
      render: (_: unknown, flow: ConsoleFlowSummary) =>
        flow.latest_version > 0 ? (
          t('list.version', { version: flow.latest_version })
        ) : (
          <span className="pf-muted">{t('list.neverPublished')}</span>
        ),
    },
    {
      title: t('list.enabled'),
      key: 'enabled',
      render: (_: unknown, flow: ConsoleFlowSummary) => (
        <Switch
          checked={flow.enabled}
          aria-label={t('list.enabledFor', { name: localized(flow.name, i18n.language) })}
          loading={setEnabled.isPending && setEnabled.variables.flowId === flow.flow_id}
          onChange={(checked) => {
            setEnabled.mutate(
              { flowId: flow.flow_id, enabled: checked },
              { onError: (error) => void message.error(describeError(t, error)) },
            );
          }}
        />
      ),
    },
    {
      title: t('list.running'),
      dataIndex: 'running',
      key: 'running',
      responsive: ['sm' as const],
    },
    {
      title: t('list.updated'),
      key: 'updated',
      responsive: ['lg' as const],
      render: (_: unknown, flow: ConsoleFlowSummary) => formatDateTime(flow.updated_at, i18n.language),
    },
    {
      title: t('list.actions'),
      key: 'actions',
      responsive: ['md' as const],
      render: (_: unknown, flow: ConsoleFlowSummary) => (
        <Space size={4}>
          <Button
            size="small"
            icon={<DownloadOutlined aria-hidden />}
            href={exportUrl(flow.flow_id)}
            aria-label={t('list.exportFor', { name: localized(flow.name, i18n.language) })}
          >
            {t('list.export')}
          </Button>
          {tenantAdmin && flow.latest_version === 0 && (
            <Popconfirm
              title={t('list.deleteConfirm')}
              okText={t('list.delete')}
              cancelText={t('publish.cancel')}
              onConfirm={() => {
                remove.mutate(flow.flow_id, {
                  onError: (error) => void message.error(describeError(t, error)),
                });
              }}
            >
              <Button
                size="small"
                danger
                icon={<DeleteOutlined aria-hidden />}
                aria-label={t('list.deleteFor', { name: localized(flow.name, i18n.language) })}
              />
            </Popconfirm>
          )}
        </Space>
      ),
    },
  ];

  return (
    <div className="pf-flow-list">
      <header className="pf-flow-list-header">
        <h1>{t('title')}</h1>
        {tenantAdmin && (
          <Space wrap>
            <Button
              type="primary"
              icon={<PlusOutlined aria-hidden />}
              onClick={() => {
                setCreating(true);
              }}
            >
              {t('list.new')}
            </Button>
            <Button
              icon={<ImportOutlined aria-hidden />}
              loading={importFlow.isPending}
              onClick={() => fileInput.current?.click()}
            >
              {t('import.button')}
            </Button>
            <input
              ref={fileInput}
              type="file"
              accept="application/json,.json"
              className="pf-visually-hidden"
              aria-label={t('import.file')}
              tabIndex={-1}
              onChange={(event) => {
                const file = event.target.files?.[0];
                event.target.value = '';
                void onImportFile(file);
              }}
            />
          </Space>
        )}
      </header>
      <Input.Search
        className="pf-flow-search"
        allowClear={clear}
        maxLength={200}
        placeholder={t('list.searchPlaceholder')}
        aria-label={t('list.search')}
        onSearch={(value) => {
          setSearch(value.trim());
          setTokens([undefined]);
        }}
      />
      {flows.isError && <Alert type="error" showIcon title={describeError(t, flows.error)} />}
      <Table
        rowKey="flow_id"
        size="middle"
        loading={tableLoading(flows).loading}
        columns={columns}
        dataSource={flows.data?.items ?? []}
        pagination={false}
        locale={{ emptyText: search ? t('list.noMatch') : t('list.empty') }}
      />
      <Pager
        page={page}
        lastPage={undefined}
        hasNext={Boolean(flows.data?.page_token)}
        onPage={(next) => {
          if (next > page && flows.data?.page_token) setTokens([...tokens, flows.data.page_token]);
          else if (next < page) setTokens(tokens.slice(0, next));
        }}
      />
      {creating && (
        <NewFlowDialog
          onClose={() => {
            setCreating(false);
          }}
          onCreated={(flowId) => {
            setCreating(false);
            void navigate(editorPath(flowId, 'settings'));
          }}
        />
      )}
    </div>
  );
}
