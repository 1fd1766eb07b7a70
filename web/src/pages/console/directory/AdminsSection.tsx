import { useState } from 'react';
import { App, Button, Popconfirm, Space, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ColumnsType } from 'antd/es/table';
import type { ConsoleAdmin } from '@contract';
import { PersonPicker } from '../../../components/form/PersonPicker';
import { formatDateTime } from '../../../lib/format';
import { localized } from '../../../lib/language';
import { tableLoading } from '../../../lib/tableLoading';
import { useAdminChange, useConsoleAdmins } from './queries';
import { ErrorAlert } from './shared';

/** The tenant admins: grant the role, remove it (the last one stays: the server says so). */
export function AdminsSection() {
  const { t, i18n } = useTranslation('consoleDirectory');
  const { message } = App.useApp();
  const admins = useConsoleAdmins();
  const change = useAdminChange();
  const [chosen, setChosen] = useState<string | undefined>();

  const columns: ColumnsType<ConsoleAdmin> = [
    {
      title: t('admins.person'),
      key: 'person',
      render: (_, a) => (
        <span>
          {localized(a.person.name, i18n.language)}
          <br />
          <code className="pf-directory-muted">{a.person.user_id}</code>
        </span>
      ),
    },
    {
      title: t('admins.grantedAt'),
      key: 'granted_at',
      render: (_, a) => formatDateTime(a.granted_at, i18n.language),
    },
    {
      title: t('actions'),
      key: 'actions',
      render: (_, a) => {
        const name = localized(a.person.name, i18n.language);
        return (
          <Popconfirm
            title={t('admins.removeConfirm', { name })}
            okText={t('admins.remove')}
            cancelText={t('cancel')}
            onConfirm={() => {
              change.mutate(
                { userId: a.person.user_id, grant: false },
                { onSuccess: () => void message.success(t('admins.removed', { name })) },
              );
            }}
          >
            <Button size="small" danger aria-label={t('admins.removeNamed', { name })}>
              {t('admins.remove')}
            </Button>
          </Popconfirm>
        );
      },
    },
  ];

  return (
    <div>
      <p className="pf-directory-hint">{t('admins.hint')}</p>
      <Space.Compact className="pf-directory-grant" block>
        <PersonPicker
          aria-label={t('admins.choose')}
          placeholder={t('admins.choose')}
          value={chosen}
          onChange={(value) => {
            setChosen(typeof value === 'string' ? value : undefined);
          }}
        />
        <Button
          type="primary"
          disabled={!chosen}
          loading={change.isPending}
          onClick={() => {
            if (!chosen) return;
            change.mutate(
              { userId: chosen, grant: true },
              {
                onSuccess: () => {
                  setChosen(undefined);
                  void message.success(t('admins.granted'));
                },
              },
            );
          }}
        >
          {t('admins.grant')}
        </Button>
      </Space.Compact>
      {change.error && <ErrorAlert error={change.error} />}
      {admins.error && <ErrorAlert error={admins.error} />}
      <Table<ConsoleAdmin>
        rowKey={(a) => a.person.user_id}
        columns={columns}
        dataSource={admins.data?.items ?? []}
        loading={tableLoading(admins).loading}
        pagination={false}
        aria-label={t('admins.tableLabel')}
      />
    </div>
  );
}
