import { useState } from 'react';
import { Alert, App, Button, Form, Input, InputNumber, Radio, Skeleton, Switch, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ConsoleSmtp, ConsoleSmtpUpdate } from '@contract';
import { ApiError } from '../../../api/client';
import { useMe } from '../../../app/me';
import { Problem } from '../../../components/Problem';
import { unixMsToIso } from '../../../lib/calendar';
import { describeError, violationsByField } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { useRemoveSmtp, useSaveSmtp, useSendTestMail, useSmtpSettings } from './queries';
import './smtp.css';

type PasswordMode = 'keep' | 'replace' | 'remove';

interface SmtpForm {
  host: string;
  port: number | null;
  secure: boolean;
  username: string;
  password_mode: PasswordMode;
  password: string;
  from_address: string;
}

/** The server's field names the settings form shows a problem on (others go in the alert). */
const FORM_FIELDS = ['host', 'port', 'secure', 'username', 'password', 'from_address'] as const;
const TLS_PORT = 465;

/**
 * The tenant's SMTP server (tenant admins): notification emails go out through it. The password is
 * write-only — the page shows whether one is saved, and keeps, replaces or removes it.
 */
export default function SmtpPage() {
  const { t } = useTranslation(['consoleSmtp', 'errors']);
  const me = useMe();
  const view = useSmtpSettings();
  if (!me.console.tenant_admin) return <Problem title={t('adminsOnlyTitle')} text={t('adminsOnlyText')} />;
  if (view.isPending) return <Skeleton active />;
  if (view.isError) return <Problem title={t('loadFailed')} text={describeError(t, view.error)} />;
  const saved = view.data.smtp;
  return (
    <div className="pf-smtp">
      <div className="pf-smtp-head">
        <h1 className="pf-page-title">{t('title')}</h1>
        <Tag>{saved ? t('stateSet') : t('stateNotSet')}</Tag>
        <SavedAt saved={saved} />
      </div>
      <Typography.Paragraph type="secondary">{t('intro')}</Typography.Paragraph>
      {/* A new form per saved version: the fields start from what the server holds. */}
      <SettingsForm key={saved?.updated_at ?? 'none'} saved={saved} />
      <TestMail saved={saved} />
    </div>
  );
}

function SavedAt({ saved }: { saved: ConsoleSmtp | null }) {
  const { t, i18n } = useTranslation('consoleSmtp');
  const updated = unixMsToIso(saved?.updated_at);
  if (!updated) return null;
  return (
    <Typography.Text type="secondary">
      {t('updatedAt', { time: formatDateTime(updated, i18n.language) })}
    </Typography.Text>
  );
}

function initialValues(saved: ConsoleSmtp | null): SmtpForm {
  return {
    host: saved?.host ?? '',
    port: saved?.port ?? 587,
    secure: saved?.secure ?? false,
    username: saved?.username ?? '',
    password_mode: 'keep',
    password: '',
    from_address: saved?.from_address ?? '',
  };
}

/** What PUT gets: a blank username is none; the password only when it is to change. */
function toUpdate(values: SmtpForm, passwordSaved: boolean): ConsoleSmtpUpdate {
  const update: ConsoleSmtpUpdate = {
    host: values.host.trim(),
    port: values.port ?? 0,
    secure: values.secure,
    username: values.username.trim() === '' ? null : values.username.trim(),
    from_address: values.from_address.trim(),
  };
  const mode: PasswordMode = passwordSaved ? values.password_mode : values.password ? 'replace' : 'remove';
  if (mode === 'replace') update.password = values.password;
  else if (mode === 'remove') update.password = null;
  return update;
}

function SettingsForm({ saved }: { saved: ConsoleSmtp | null }) {
  const { t } = useTranslation(['consoleSmtp', 'common', 'errors']);
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<SmtpForm>();
  const save = useSaveSmtp();
  const remove = useRemoveSmtp();
  const passwordSaved = saved?.password != null;
  // Undefined until the form has mounted its fields.
  const mode: PasswordMode = Form.useWatch<PasswordMode | undefined>('password_mode', form) ?? 'keep';
  const askPassword = !passwordSaved || mode === 'replace';
  // Problems the server named on a field are shown there (form.setFields); the rest in the alert.
  const [otherProblem, setOtherProblem] = useState<unknown>(null);

  const submit = (values: SmtpForm) => {
    setOtherProblem(null);
    save.mutate(toUpdate(values, passwordSaved), {
      onSuccess: () => {
        void message.success(t('saved'));
      },
      onError: (error) => {
        const byField = violationsByField(error);
        const shown = FORM_FIELDS.filter((field) => field !== 'password' || askPassword);
        const placed = shown.filter((field) => field in byField);
        form.setFields(placed.map((field) => ({ name: field, errors: [byField[field] ?? ''] })));
        if (placed.length === 0 || Object.keys(byField).some((f) => !placed.includes(f as never)))
          setOtherProblem(error);
      },
    });
  };

  const confirmRemove = () => {
    modal.confirm({
      title: t('removeTitle'),
      content: t('removeText'),
      okText: t('common:confirm'),
      cancelText: t('common:cancel'),
      okButtonProps: { danger: true },
      onOk: () =>
        remove.mutateAsync().then(
          () => void message.success(t('removed')),
          (error: unknown) => void message.error(describeError(t, error)),
        ),
    });
  };

  return (
    <section className="pf-smtp-section" aria-labelledby="pf-smtp-settings-title">
      <h2 id="pf-smtp-settings-title" className="pf-smtp-section-title">
        {t('settingsTitle')}
      </h2>
      {otherProblem !== null && (
        <Alert
          type="error"
          showIcon
          role="alert"
          className="pf-smtp-alert"
          title={describeError(t, otherProblem)}
          description={
            otherProblem instanceof ApiError && otherProblem.violations.length > 0 ? (
              <ul className="pf-smtp-list">
                {otherProblem.violations.map((v) => (
                  <li key={`${v.field}:${v.description}`}>
                    <code>{v.field}</code>: {v.description}
                  </li>
                ))}
              </ul>
            ) : undefined
          }
        />
      )}
      <Form<SmtpForm>
        form={form}
        layout="vertical"
        className="pf-smtp-form"
        initialValues={initialValues(saved)}
        onFinish={submit}
        onValuesChange={(changed: Partial<SmtpForm>) => {
          // Port 465 speaks TLS from the first byte: follow the port until the switch is touched.
          if (changed.port !== undefined && !form.isFieldTouched('secure'))
            form.setFieldValue('secure', changed.port === TLS_PORT);
        }}
      >
        <div className="pf-smtp-row">
          <Form.Item
            name="host"
            label={t('host')}
            className="pf-smtp-host"
            rules={[{ required: true, whitespace: true, message: t('hostRequired') }]}
          >
            <Input placeholder="smtp.example.com" maxLength={253} autoComplete="off" spellCheck={false} />
          </Form.Item>
          <Form.Item
            name="port"
            label={t('port')}
            className="pf-smtp-port"
            rules={[{ required: true, message: t('portRequired') }]}
          >
            <InputNumber min={1} max={65535} precision={0} controls={false} style={{ width: '100%' }} />
          </Form.Item>
        </div>
        <Form.Item name="secure" label={t('secure')} valuePropName="checked" extra={t('secureHelp')}>
          <Switch />
        </Form.Item>
        <Form.Item name="username" label={t('username')} extra={t('usernameHelp')}>
          <Input maxLength={256} autoComplete="off" spellCheck={false} />
        </Form.Item>
        {passwordSaved && (
          <Form.Item name="password_mode" label={t('passwordSaved')}>
            <Radio.Group
              aria-label={t('passwordSaved')}
              options={[
                { value: 'keep', label: t('passwordKeep') },
                { value: 'replace', label: t('passwordReplace') },
                { value: 'remove', label: t('passwordRemove') },
              ]}
            />
          </Form.Item>
        )}
        {askPassword && (
          <Form.Item
            name="password"
            label={passwordSaved ? t('passwordNew') : t('password')}
            extra={passwordSaved ? undefined : t('passwordHelp')}
            rules={passwordSaved ? [{ required: true, message: t('passwordNewRequired') }] : undefined}
          >
            <Input.Password maxLength={1024} autoComplete="new-password" />
          </Form.Item>
        )}
        <Form.Item
          name="from_address"
          label={t('fromAddress')}
          extra={t('fromAddressHelp')}
          rules={[{ required: true, whitespace: true, message: t('fromAddressRequired') }]}
        >
          <Input placeholder="PeopleFlow <hr@example.com>" maxLength={320} spellCheck={false} />
        </Form.Item>
        <div className="pf-smtp-actions">
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            {t('save')}
          </Button>
          {saved && (
            <Button danger onClick={confirmRemove} loading={remove.isPending}>
              {t('remove')}
            </Button>
          )}
        </div>
      </Form>
    </section>
  );
}

/** The test email: to whom (my own address to start with), and what the SMTP server answered. */
function TestMail({ saved }: { saved: ConsoleSmtp | null }) {
  const { t, i18n } = useTranslation(['consoleSmtp', 'errors']);
  const me = useMe();
  const [form] = Form.useForm<{ to: string }>();
  const send = useSendTestMail();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const byField = violationsByField(send.error);
  const serverAnswer = byField.smtp;
  const toProblem = byField.to;

  const submit = ({ to }: { to: string }) => {
    setSentTo(null);
    const language = i18n.language === 'zh-CN' ? 'zh-CN' : 'en';
    send.mutate(
      { to: to.trim(), language },
      {
        onSuccess: () => {
          setSentTo(to.trim());
        },
      },
    );
  };

  return (
    <section className="pf-smtp-section" aria-labelledby="pf-smtp-test-title">
      <h2 id="pf-smtp-test-title" className="pf-smtp-section-title">
        {t('testTitle')}
      </h2>
      <Typography.Paragraph type="secondary">
        {saved ? t('testIntro') : t('testNeedsSettings')}
      </Typography.Paragraph>
      <Form<{ to: string }>
        form={form}
        layout="vertical"
        className="pf-smtp-form"
        initialValues={{ to: me.person.email ?? '' }}
        onFinish={submit}
      >
        <Form.Item
          name="to"
          label={t('testTo')}
          rules={[{ required: true, whitespace: true, message: t('testToRequired') }]}
          {...(toProblem !== undefined ? { validateStatus: 'error' as const, help: toProblem } : {})}
        >
          <Input type="email" maxLength={320} autoComplete="email" disabled={!saved} />
        </Form.Item>
        <Button htmlType="submit" loading={send.isPending} disabled={!saved}>
          {t('testSend')}
        </Button>
      </Form>
      <div aria-live="polite" className="pf-smtp-result">
        {sentTo !== null && !send.isPending && (
          <Alert type="success" showIcon title={t('testSent', { to: sentTo })} />
        )}
        {send.isError && toProblem === undefined && (
          <Alert
            type="error"
            showIcon
            title={serverAnswer !== undefined ? t('testRefused') : describeError(t, send.error)}
            description={
              serverAnswer !== undefined ? <code className="pf-smtp-answer">{serverAnswer}</code> : undefined
            }
          />
        )}
      </div>
    </section>
  );
}
