import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Form,
  Input,
  Popconfirm,
  Radio,
  Segmented,
  Skeleton,
  Space,
  Statistic,
  Typography,
} from 'antd';
import { ArrowLeftOutlined, CheckCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type {
  ConsoleApp,
  ConsoleAppPatch,
  ConsoleAppScope,
  ConsoleDeliveryMode,
  ConsoleEventType,
  ConsoleMetricsWindow,
  ConsoleUrlVerification,
} from '@contract';
import { useAppPath } from '../../../app/paths';
import { Problem } from '../../../components/Problem';
import { formatDateTime, formatNumber } from '../../../lib/format';
import { EVENT_TYPES, eventTypeKey, ScopesField } from './fields';
import { describeError, isApiErrorCode, violationsByField } from './errors';
import { useApp, useAppMetrics, useCheckUrl, useDeleteApp, useRotateSecret, useUpdateApp } from './queries';

/** One app: credentials (the secret only right after it was made), scopes, events, metrics. */
export function AppDetail({
  appId,
  secret,
  onSecret,
}: {
  appId: string;
  secret: string | undefined;
  onSecret: (secret: string) => void;
}) {
  const { t } = useTranslation(['consoleApps', 'errors']);
  const appPath = useAppPath();
  const app = useApp(appId);
  const back = (
    <Link to={appPath('/console/apps')} className="pf-apps-back">
      <ArrowLeftOutlined aria-hidden /> {t('allApps')}
    </Link>
  );
  if (app.isError)
    return (
      <Problem
        title={isApiErrorCode(app.error, 'not_found') ? t('appNotFound') : t('loadFailed')}
        text={describeError(t, app.error)}
        action={back}
      />
    );
  if (app.isPending) return <Skeleton active />;
  return (
    <div className="pf-apps">
      {back}
      <header className="pf-apps-header">
        <h1>{app.data.name}</h1>
        <DeleteApp app={app.data} />
      </header>
      <div className="pf-apps-grid">
        <Credentials app={app.data} secret={secret} onSecret={onSecret} />
        <NameAndScopes app={app.data} />
        <EventSettings app={app.data} />
        <Metrics appId={appId} />
      </div>
    </div>
  );
}

function DeleteApp({ app }: { app: ConsoleApp }) {
  const { t } = useTranslation(['consoleApps', 'errors']);
  const { message } = App.useApp();
  const appPath = useAppPath();
  const navigate = useNavigate();
  const remove = useDeleteApp(app.app_id);
  return (
    <Popconfirm
      title={t('deleteConfirm', { name: app.name })}
      description={t('deleteWarning')}
      okText={t('delete')}
      cancelText={t('cancel')}
      okButtonProps={{ danger: true, loading: remove.isPending }}
      onConfirm={() => {
        void remove.mutateAsync().then(
          () => {
            void message.success(t('deleted'));
            void navigate(appPath('/console/apps'));
          },
          (error: unknown) => {
            void message.error(describeError(t, error));
          },
        );
      }}
    >
      <Button danger>{t('delete')}</Button>
    </Popconfirm>
  );
}

function Credentials({
  app,
  secret,
  onSecret,
}: {
  app: ConsoleApp;
  secret: string | undefined;
  onSecret: (secret: string) => void;
}) {
  const { t } = useTranslation(['consoleApps', 'errors']);
  const { message } = App.useApp();
  const rotate = useRotateSecret(app.app_id);
  return (
    <Card title={<h2 className="pf-apps-card-title">{t('credentials')}</h2>} className="pf-apps-card">
      <dl className="pf-apps-facts">
        <dt>{t('appId')}</dt>
        <dd>
          <Typography.Text code copyable={{ tooltips: [t('copy'), t('copied')] }}>
            {app.app_id}
          </Typography.Text>
        </dd>
        <dt>{t('appSecret')}</dt>
        <dd>
          {secret ? (
            <Typography.Text code copyable={{ tooltips: [t('copy'), t('copied')] }} data-testid="app-secret">
              {secret}
            </Typography.Text>
          ) : (
            <span className="pf-apps-muted">{t('secretHidden')}</span>
          )}
        </dd>
      </dl>
      {secret && <Alert type="warning" showIcon role="alert" title={t('secretOnce')} />}
      <Popconfirm
        title={t('rotateConfirm')}
        description={t('rotateWarning')}
        okText={t('rotate')}
        cancelText={t('cancel')}
        okButtonProps={{ danger: true, loading: rotate.isPending }}
        onConfirm={() => {
          void rotate.mutateAsync().then(
            (rotated) => {
              if (rotated.app_secret) onSecret(rotated.app_secret);
            },
            (error: unknown) => {
              void message.error(describeError(t, error));
            },
          );
        }}
      >
        <Button className="pf-apps-rotate">{t('rotate')}</Button>
      </Popconfirm>
    </Card>
  );
}

function NameAndScopes({ app }: { app: ConsoleApp }) {
  const { t } = useTranslation(['consoleApps', 'errors']);
  const { message } = App.useApp();
  const update = useUpdateApp(app.app_id);
  const [name, setName] = useState(app.name);
  const [scopes, setScopes] = useState<ConsoleAppScope[]>(app.scopes);
  const fieldErrors = violationsByField(update.error);
  const changed = name.trim() !== app.name || [...scopes].sort().join() !== [...app.scopes].sort().join();
  const save = () => {
    update.mutate(
      { name: name.trim(), scopes },
      {
        onSuccess: () => void message.success(t('saved')),
        onError: (error) => {
          if (!isApiErrorCode(error, 'invalid_field')) void message.error(describeError(t, error));
        },
      },
    );
  };
  return (
    <Card title={<h2 className="pf-apps-card-title">{t('nameAndScopes')}</h2>} className="pf-apps-card">
      <Form layout="vertical" component="div">
        <Form.Item
          label={t('name')}
          htmlFor="pf-app-rename"
          validateStatus={fieldErrors.name ? 'error' : undefined}
          help={fieldErrors.name ? t('nameInvalid') : undefined}
        >
          <Input
            id="pf-app-rename"
            value={name}
            maxLength={100}
            onChange={(event) => {
              setName(event.target.value);
            }}
          />
        </Form.Item>
        <ScopesField value={scopes} onChange={setScopes} />
        {isApiErrorCode(update.error, 'invalid_field') && !fieldErrors.name && (
          <Alert type="error" showIcon role="alert" title={update.error.message} />
        )}
        <Button type="primary" onClick={save} loading={update.isPending} disabled={!changed || !name.trim()}>
          {t('save')}
        </Button>
      </Form>
    </Card>
  );
}

/** The problem with the request URL a save was refused for, as a failed verification to show. */
function refusedVerification(error: unknown, url: string): ConsoleUrlVerification | null {
  const problem = violationsByField(error)['event.request_url'];
  if (!problem) return null;
  return { request_url: url, passed: false, problem, duration_ms: 0, checked_at: new Date().toISOString() };
}

function EventSettings({ app }: { app: ConsoleApp }) {
  const { t } = useTranslation(['consoleApps', 'errors']);
  const { message } = App.useApp();
  const update = useUpdateApp(app.app_id);
  const check = useCheckUrl(app.app_id);
  const [mode, setMode] = useState<ConsoleDeliveryMode>(app.event.delivery_mode);
  const [url, setUrl] = useState(app.event.request_url ?? '');
  const [token, setToken] = useState(app.event.verification_token ?? '');
  const [encryptKey, setEncryptKey] = useState(app.event.encrypt_key ?? '');
  const [types, setTypes] = useState<ConsoleEventType[]>(app.event.event_types);
  const [verification, setVerification] = useState<ConsoleUrlVerification | null>(null);
  const fieldErrors = violationsByField(update.error);
  const urlError = fieldErrors['event.request_url'];

  const save = () => {
    const event: NonNullable<ConsoleAppPatch['event']> = {
      delivery_mode: mode,
      event_types: types,
      encrypt_key: encryptKey === '' ? null : encryptKey,
      ...(token !== '' ? { verification_token: token } : {}),
      // A long-connection app keeps no request URL; a webhook one sends what was typed.
      request_url: mode === 'webhook' && url.trim() !== '' ? url.trim() : null,
    };
    update.mutate(
      { event },
      {
        onSuccess: (saved) => {
          setVerification(saved.verification ?? null);
          void message.success(t('saved'));
        },
        onError: (error) => {
          setVerification(refusedVerification(error, url.trim()));
          if (!isApiErrorCode(error, 'invalid_field')) void message.error(describeError(t, error));
        },
      },
    );
  };
  const runCheck = () => {
    check.mutate(
      {
        request_url: url.trim(),
        ...(token !== '' ? { verification_token: token } : {}),
        encrypt_key: encryptKey === '' ? null : encryptKey,
      },
      {
        onSuccess: setVerification,
        onError: (error) => {
          void message.error(describeError(t, error));
        },
      },
    );
  };
  const otherErrors = Object.entries(fieldErrors).filter(([field]) => field !== 'event.request_url');

  return (
    <Card title={<h2 className="pf-apps-card-title">{t('events')}</h2>} className="pf-apps-card pf-apps-wide">
      <Form layout="vertical" component="div">
        <Form.Item label={t('deliveryMode')}>
          <Radio.Group
            value={mode}
            onChange={(event) => {
              setMode(event.target.value as ConsoleDeliveryMode);
            }}
            options={[
              { value: 'webhook', label: t('mode.webhook') },
              { value: 'long_connection', label: t('mode.long_connection') },
            ]}
          />
        </Form.Item>
        {mode === 'webhook' && (
          <Form.Item
            label={t('requestUrl')}
            htmlFor="pf-app-request-url"
            extra={t('requestUrlHelp')}
            validateStatus={urlError ? 'error' : undefined}
          >
            <Space.Compact className="pf-apps-url">
              <Input
                id="pf-app-request-url"
                value={url}
                placeholder="https://example.com/peopleflow/events"
                maxLength={2048}
                inputMode="url"
                onChange={(event) => {
                  setUrl(event.target.value);
                  setVerification(null);
                }}
              />
              <Button onClick={runCheck} loading={check.isPending} disabled={url.trim() === ''}>
                {t('checkUrl')}
              </Button>
            </Space.Compact>
          </Form.Item>
        )}
        {verification ? (
          <VerificationResult verification={verification} />
        ) : (
          mode === 'webhook' &&
          app.event.request_url !== null &&
          url.trim() === app.event.request_url && (
            <p className="pf-apps-muted pf-apps-url-saved">
              <CheckCircleOutlined aria-hidden /> {t('urlSaved')}
            </p>
          )
        )}
        <Form.Item label={t('verificationToken')} htmlFor="pf-app-token">
          <Input
            id="pf-app-token"
            value={token}
            maxLength={128}
            onChange={(event) => {
              setToken(event.target.value);
            }}
          />
        </Form.Item>
        <Form.Item label={t('encryptKey')} htmlFor="pf-app-encrypt-key" extra={t('encryptKeyHelp')}>
          <Input
            id="pf-app-encrypt-key"
            value={encryptKey}
            maxLength={128}
            onChange={(event) => {
              setEncryptKey(event.target.value);
            }}
          />
        </Form.Item>
        <fieldset className="pf-apps-fieldset">
          <legend>{t('eventTypes')}</legend>
          <Checkbox.Group
            value={types}
            onChange={(next) => {
              setTypes(next);
            }}
            className="pf-apps-checks"
            options={EVENT_TYPES.map((type) => ({
              value: type,
              label: (
                <span>
                  {t(eventTypeKey(type) ?? type)} <code className="pf-apps-muted">{type}</code>
                </span>
              ),
            }))}
          />
        </fieldset>
        {otherErrors.length > 0 && (
          <Alert
            type="error"
            showIcon
            role="alert"
            title={otherErrors.map(([field, description]) => `${field}: ${description}`).join('; ')}
          />
        )}
        <Button type="primary" onClick={save} loading={update.isPending}>
          {t('saveEvents')}
        </Button>
      </Form>
    </Card>
  );
}

/** The url_verification handshake's outcome: passed or not, and what the receiver answered. */
function VerificationResult({ verification }: { verification: ConsoleUrlVerification }) {
  const { t, i18n } = useTranslation('consoleApps');
  const answer = verification.answer;
  return (
    <Alert
      className="pf-apps-verification"
      type={verification.passed ? 'success' : 'error'}
      showIcon
      role={verification.passed ? 'status' : 'alert'}
      title={verification.passed ? t('verificationPassed') : t('verificationFailed')}
      description={
        <div>
          <p>
            {verification.passed
              ? t('verificationPassedText', { ms: verification.duration_ms })
              : verification.problem}
          </p>
          <p className="pf-apps-muted">
            <code>{verification.request_url}</code> · {formatDateTime(verification.checked_at, i18n.language)}
          </p>
          {answer && (
            <>
              <p>{t('receiverAnswered', { status: answer.status })}</p>
              <pre className="pf-apps-pre">{answer.body || t('emptyBody')}</pre>
            </>
          )}
        </div>
      }
    />
  );
}

const WINDOWS: ConsoleMetricsWindow[] = ['1h', '24h', '7d'];

function Metrics({ appId }: { appId: string }) {
  const { t, i18n } = useTranslation(['consoleApps', 'errors']);
  const appPath = useAppPath();
  const [window, setWindow] = useState<ConsoleMetricsWindow>('24h');
  const metrics = useAppMetrics(appId, window);
  const percent = (value: number | null) =>
    value === null
      ? '—'
      : new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 1 }).format(value);
  const ms = (value: number | null) =>
    value === null
      ? '—'
      : value < 1000
        ? `${formatNumber(value, i18n.language)} ms`
        : `${formatNumber(Math.round(value / 100) / 10, i18n.language)} s`;
  return (
    <Card
      title={<h2 className="pf-apps-card-title">{t('metrics')}</h2>}
      className="pf-apps-card pf-apps-wide"
    >
      <div className="pf-apps-window">
        <Segmented<ConsoleMetricsWindow>
          aria-label={t('metricsWindow')}
          value={window}
          onChange={setWindow}
          options={WINDOWS.map((w) => ({ value: w, label: t(`window.${w}`) }))}
        />
      </div>
      {metrics.isError ? (
        <Alert type="error" showIcon title={describeError(t, metrics.error)} />
      ) : !metrics.data ? (
        <Skeleton active />
      ) : (
        <>
          <div className="pf-apps-stats">
            <Statistic title={t('total')} value={metrics.data.total} />
            <Statistic title={t('state.delivered')} value={metrics.data.counts.delivered} />
            <Statistic
              title={t('state.pending')}
              value={metrics.data.counts.pending + metrics.data.counts.retrying + metrics.data.counts.sending}
            />
            <Statistic title={t('state.parked')} value={metrics.data.counts.parked} />
            <Statistic title={t('successRate')} value={percent(metrics.data.success_rate)} />
            <Statistic
              title={t('meanAttempts')}
              value={metrics.data.mean_attempts === null ? '—' : metrics.data.mean_attempts.toFixed(2)}
            />
            <Statistic title={t('lagP50')} value={ms(metrics.data.lag_p50_ms)} />
            <Statistic title={t('lagP99')} value={ms(metrics.data.lag_p99_ms)} />
          </div>
          <p className="pf-apps-links">
            <Link to={appPath(`/console/deliveries?app_id=${encodeURIComponent(appId)}`)}>
              {t('openLog')}
            </Link>
            {metrics.data.counts.parked > 0 && (
              <Link to={appPath(`/console/deliveries?status=parked&app_id=${encodeURIComponent(appId)}`)}>
                {t('openParked', { count: metrics.data.counts.parked })}
              </Link>
            )}
          </p>
        </>
      )}
    </Card>
  );
}
