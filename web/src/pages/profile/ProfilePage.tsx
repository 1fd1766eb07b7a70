import { lazy, Suspense, useId } from 'react';
import { useNavigate } from 'react-router-dom';
import { Alert, App, Button, Card, Descriptions, Form, Input } from 'antd';
import { ListboxSelect } from '../../components/ListboxSelect';
import { LogoutOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Language, PasswordChange } from '@contract';
import { useChangePassword, useSignOut, useUpdateMe } from '../../api/session';
import { useMe } from '../../app/me';
import { useTenantPrefix } from '../../app/paths';
import { applyLanguage, storeLanguage } from '../../i18n';
import { describeError, violationsByField } from '../../lib/errors';
import { localized } from '../../lib/language';
import { OutOfOfficeCard } from './OutOfOfficeCard';
import { loadCatalogues } from '../../i18n';
import './profile.css';

const NotificationPreferences = lazy(() =>
  loadCatalogues(['notifications']).then(() => import('./NotificationPreferences')),
);

type LanguageChoice = Language | 'browser';

/** `/profile`: who I am, my language, my password, sign out. */
export default function ProfilePage() {
  const { t, i18n } = useTranslation(['profile', 'common', 'errors']);
  const { message } = App.useApp();
  const me = useMe();
  const navigate = useNavigate();
  const updateMe = useUpdateMe();
  const changePassword = useChangePassword();
  const signOut = useSignOut();
  const [form] = Form.useForm<PasswordChange & { confirm: string }>();
  const languageId = useId();
  const prefix = useTenantPrefix();
  const passwordErrors = violationsByField(changePassword.error);
  const wrongCurrent =
    changePassword.error && (changePassword.error as { code?: string }).code === 'invalid_credentials';

  const setLanguage = (choice: LanguageChoice) => {
    const language = choice === 'browser' ? null : choice;
    updateMe.mutate(
      { language },
      {
        onSuccess: (updated) => {
          storeLanguage(updated.language);
          applyLanguage(updated.language);
          void message.success(t('languageSaved'));
        },
        onError: (error) => void message.error(describeError(t, error)),
      },
    );
  };

  return (
    <div className="pf-profile">
      <h1 className="pf-page-title">{t('title')}</h1>

      <Card title={t('aboutYou')} className="pf-profile-card">
        <Descriptions column={1} size="small">
          <Descriptions.Item label={t('name')}>{localized(me.person.name, i18n.language)}</Descriptions.Item>
          {me.person.email && <Descriptions.Item label={t('email')}>{me.person.email}</Descriptions.Item>}
          {me.person.department && (
            <Descriptions.Item label={t('department')}>
              {localized(me.person.department.name, i18n.language)}
            </Descriptions.Item>
          )}
          <Descriptions.Item label={t('organisation')}>{me.tenant.name}</Descriptions.Item>
          <Descriptions.Item label={t('signedInWith')}>{t(`authMethod.${me.auth_method}`)}</Descriptions.Item>
        </Descriptions>
      </Card>

      <Card title={t('common:language')} className="pf-profile-card">
        <label htmlFor={languageId} id={`${languageId}-label`} className="pf-profile-label">
          {t('common:language')}
        </label>
        <ListboxSelect<LanguageChoice>
          id={languageId}
          labelId={`${languageId}-label`}
          value={me.language ?? 'browser'}
          disabled={updateMe.isPending}
          onChange={setLanguage}
          options={[
            { value: 'browser', label: t('followBrowser') },
            { value: 'zh-CN', label: t('common:languageNames.zh-CN'), lang: 'zh-CN' },
            { value: 'en', label: t('common:languageNames.en'), lang: 'en' },
          ]}
        />
        <p className="pf-profile-hint">{t('languageHint')}</p>
      </Card>

      <OutOfOfficeCard />
      <Suspense fallback={null}>
        <NotificationPreferences />
      </Suspense>

      <Card title={t('passwordTitle')} className="pf-profile-card">
        {me.has_password ? (
          <Form<PasswordChange & { confirm: string }>
            form={form}
            layout="vertical"
            className="pf-profile-form"
            onFinish={(values) => {
              changePassword.mutate(
                { current_password: values.current_password, new_password: values.new_password },
                {
                  onSuccess: () => {
                    form.resetFields();
                    void message.success(t('passwordChanged'));
                  },
                },
              );
            }}
          >
            {changePassword.error && !wrongCurrent && (
              <Alert
                type="error"
                showIcon
                role="alert"
                className="pf-profile-alert"
                title={describeError(t, changePassword.error)}
              />
            )}
            <Form.Item
              name="current_password"
              label={t('currentPassword')}
              rules={[{ required: true, message: t('currentPasswordRequired') }]}
              {...(wrongCurrent ? { validateStatus: 'error' as const, help: t('wrongCurrentPassword') } : {})}
            >
              <Input.Password autoComplete="current-password" />
            </Form.Item>
            <Form.Item
              name="new_password"
              label={t('newPassword')}
              extra={t('passwordLength')}
              rules={[{ required: true, min: 8, max: 200, message: t('passwordLength') }]}
              {...(passwordErrors.new_password
                ? { validateStatus: 'error' as const, help: passwordErrors.new_password }
                : {})}
            >
              <Input.Password autoComplete="new-password" />
            </Form.Item>
            <Form.Item
              name="confirm"
              label={t('confirmPassword')}
              dependencies={['new_password']}
              rules={[
                { required: true, message: t('passwordsDiffer') },
                ({ getFieldValue }) => ({
                  validator: (_rule, value) =>
                    value === getFieldValue('new_password')
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('passwordsDiffer'))),
                }),
              ]}
            >
              <Input.Password autoComplete="new-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={changePassword.isPending}>
              {t('changePassword')}
            </Button>
          </Form>
        ) : (
          <p className="pf-profile-hint">{t(`noPassword.${me.auth_method === 'oidc' ? 'oidc' : 'other'}`)}</p>
        )}
      </Card>

      <Card title={t('signOutTitle')} className="pf-profile-card">
        <p className="pf-profile-hint">{t('signOutHint')}</p>
        <Button
          danger
          icon={<LogoutOutlined aria-hidden />}
          loading={signOut.isPending}
          onClick={() => {
            signOut.mutate(undefined, {
              onSettled: () => void navigate(`${prefix}/sign-in`, { replace: true }),
            });
          }}
        >
          {t('signOut')}
        </Button>
      </Card>
    </div>
  );
}
