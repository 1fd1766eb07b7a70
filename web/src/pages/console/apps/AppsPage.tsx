import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { Alert, App, Button, Empty, Form, Input, Modal, Skeleton, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ConsoleApp, ConsoleAppScope } from '@contract';
import { useAppPath } from '../../../app/paths';
import { Problem } from '../../../components/Problem';
import { describeError, isApiErrorCode, violationsByField } from './errors';
import { AppDetail } from './AppDetail';
import { useApps, useCreateApp } from './queries';
import { ScopesField } from './fields';
import './apps.css';

/** A secret just made (on create or rotate): shown on its app's page until the admin leaves it. */
export interface RevealedSecret {
  appId: string;
  secret: string;
}

/** `/console/apps/:appId?`: the tenant's apps, and one app's credentials, events and metrics. */
export default function AppsPage() {
  const { appId } = useParams();
  const [revealed, setRevealed] = useState<RevealedSecret | null>(null);
  if (appId)
    return (
      <AppDetail
        key={appId}
        appId={appId}
        secret={revealed?.appId === appId ? revealed.secret : undefined}
        onSecret={(secret) => {
          setRevealed({ appId, secret });
        }}
      />
    );
  return <AppList onCreated={setRevealed} />;
}

function AppList({ onCreated }: { onCreated: (revealed: RevealedSecret) => void }) {
  const { t } = useTranslation(['consoleApps', 'errors']);
  const appPath = useAppPath();
  const navigate = useNavigate();
  const apps = useApps();
  const [creating, setCreating] = useState(false);

  if (apps.isError) return <Problem title={t('loadFailed')} text={describeError(t, apps.error)} />;
  return (
    <div className="pf-apps">
      <header className="pf-apps-header">
        <h1>{t('title')}</h1>
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => {
            setCreating(true);
          }}
        >
          {t('create')}
        </Button>
      </header>
      <p className="pf-apps-intro">{t('intro')}</p>
      {apps.isPending ? (
        <Skeleton active />
      ) : (
        <Table<ConsoleApp>
          rowKey="app_id"
          dataSource={apps.data}
          pagination={false}
          scroll={{ x: 640 }}
          locale={{ emptyText: <Empty description={t('noApps')} /> }}
          columns={[
            {
              title: t('name'),
              key: 'name',
              render: (_, app) => <Link to={appPath(`/console/apps/${app.app_id}`)}>{app.name}</Link>,
            },
            { title: t('appId'), dataIndex: 'app_id', render: (id: string) => <code>{id}</code> },
            {
              title: t('deliveryMode'),
              key: 'mode',
              render: (_, app) =>
                app.event.event_types.length === 0 ? (
                  <span className="pf-apps-muted">{t('noEvents')}</span>
                ) : (
                  <Tag>{t(`mode.${app.event.delivery_mode}`)}</Tag>
                ),
            },
            {
              title: t('eventTypes'),
              key: 'types',
              render: (_, app) => t('eventTypeCount', { count: app.event.event_types.length }),
            },
          ]}
        />
      )}
      {creating && (
        <CreateAppDialog
          onClose={() => {
            setCreating(false);
          }}
          onCreated={(app) => {
            setCreating(false);
            if (app.app_secret) onCreated({ appId: app.app_id, secret: app.app_secret });
            void navigate(appPath(`/console/apps/${app.app_id}`));
          }}
        />
      )}
    </div>
  );
}

function CreateAppDialog({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (app: ConsoleApp) => void;
}) {
  const { t } = useTranslation(['consoleApps', 'errors']);
  const { message } = App.useApp();
  const create = useCreateApp();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ConsoleAppScope[]>(['corehr:process:readonly']);
  const fieldErrors = violationsByField(create.error);
  const submit = () => {
    create.mutate(
      { name: name.trim(), scopes },
      {
        onSuccess: onCreated,
        onError: (error) => {
          if (!isApiErrorCode(error, 'invalid_field')) void message.error(describeError(t, error));
        },
      },
    );
  };
  return (
    <Modal
      open
      title={t('createTitle')}
      okText={t('create')}
      cancelText={t('cancel')}
      confirmLoading={create.isPending}
      onOk={submit}
      onCancel={onClose}
      okButtonProps={{ disabled: name.trim() === '' }}
    >
      {/* Enter in the name submits the form (one text field: the browser's implicit submission). */}
      <Form layout="vertical" onFinish={submit} component="form">
        <Form.Item
          label={t('name')}
          htmlFor="pf-app-name"
          validateStatus={fieldErrors.name ? 'error' : undefined}
          help={fieldErrors.name ? t('nameInvalid') : undefined}
        >
          <Input
            id="pf-app-name"
            value={name}
            maxLength={100}
            autoFocus
            onChange={(event) => {
              setName(event.target.value);
            }}
          />
        </Form.Item>
        <ScopesField value={scopes} onChange={setScopes} />
      </Form>
      {create.isError && !fieldErrors.name && isApiErrorCode(create.error, 'invalid_field') && (
        <Alert type="error" showIcon role="alert" title={create.error.message} />
      )}
    </Modal>
  );
}
