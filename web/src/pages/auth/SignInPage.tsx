import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { Alert, Button, Card, Divider, Form, Input, Segmented, Skeleton, Typography } from 'antd';
import { LoginOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Language, PasswordSignIn } from '@contract';
import { oidcStartUrl, useDemoSignIn, usePasswordSignIn, useSignInOptions } from '../../api/session';
import { useTenantKey, useTenantPrefix } from '../../app/paths';
import { applyLanguage, storeLanguage } from '../../i18n';
import { describeError, errorKey, violationsByField } from '../../lib/errors';
import { localized } from '../../lib/language';
import { safeReturnTo } from '../../lib/returnTo';
import './auth.css';

/** Sign-in: password, single sign-on where the tenant has it, and the demo people with `--demo`. */
export default function SignInPage() {
  const { t, i18n } = useTranslation(['auth', 'errors', 'common']);
  const tenantKey = useTenantKey();
  const prefix = useTenantPrefix();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const returnTo = safeReturnTo(params.get('return_to'), `${prefix}/approval-center/todo`);
  const urlError = params.get('error');
  const options = useSignInOptions(tenantKey);
  const password = usePasswordSignIn();
  const demo = useDemoSignIn();
  const [demoUser, setDemoUser] = useState<string>();

  const signedIn = () => void navigate(returnTo, { replace: true });
  const failure = password.error ?? demo.error;
  const fieldErrors = violationsByField(password.error);

  const setLanguage = (language: Language) => {
    storeLanguage(language);
    applyLanguage(language);
  };

  return (
    <main className="pf-auth" id="main">
      <div className="pf-auth-top">
        <Segmented<Language>
          aria-label={t('common:language')}
          size="small"
          value={i18n.language === 'zh-CN' ? 'zh-CN' : 'en'}
          onChange={setLanguage}
          options={[
            { value: 'zh-CN', label: <span lang="zh-CN">中文</span> },
            { value: 'en', label: <span lang="en">English</span> },
          ]}
        />
      </div>
      <Card className="pf-auth-card">
        <Typography.Title level={1} className="pf-auth-title">
          {t('signInTitle')}
        </Typography.Title>
        {options.data && <p className="pf-auth-tenant">{options.data.tenant.name}</p>}
        {urlError && !failure && (
          <Alert
            type={urlError === 'session_expired' ? 'warning' : 'error'}
            showIcon
            role="alert"
            title={t(errorKey(urlError))}
            className="pf-auth-alert"
          />
        )}
        {failure && (
          <Alert
            type="error"
            showIcon
            role="alert"
            title={describeError(t, failure)}
            className="pf-auth-alert"
          />
        )}
        {options.isPending && <Skeleton active />}
        {options.isError && (
          <Alert
            type="warning"
            showIcon
            title={
              tenantKey === undefined && (options.error as { code?: string }).code === 'not_found'
                ? t('tenantNeeded')
                : describeError(t, options.error)
            }
          />
        )}
        {options.data && (
          <>
            {options.data.password && (
              <Form<PasswordSignIn>
                layout="vertical"
                requiredMark={false}
                onFinish={(values) => {
                  password.mutate(
                    {
                      ...(tenantKey ? { tenant: tenantKey } : {}),
                      login: values.login,
                      password: values.password,
                    },
                    { onSuccess: signedIn },
                  );
                }}
              >
                <Form.Item
                  name="login"
                  label={t('login')}
                  rules={[{ required: true, message: t('loginRequired') }]}
                  {...(fieldErrors.login ? { validateStatus: 'error', help: fieldErrors.login } : {})}
                >
                  <Input autoComplete="username" autoFocus />
                </Form.Item>
                <Form.Item
                  name="password"
                  label={t('password')}
                  rules={[{ required: true, message: t('passwordRequired') }]}
                >
                  <Input.Password autoComplete="current-password" />
                </Form.Item>
                <Button type="primary" htmlType="submit" block loading={password.isPending}>
                  {t('signIn')}
                </Button>
              </Form>
            )}
            {options.data.oidc && (
              <>
                <Divider plain>{t('or')}</Divider>
                <Button
                  block
                  icon={<LoginOutlined aria-hidden />}
                  href={oidcStartUrl(tenantKey ?? options.data.tenant.tenant_key, returnTo)}
                >
                  {t('ssoButton', { label: options.data.oidc.label })}
                </Button>
              </>
            )}
            {options.data.demo_people && options.data.demo_people.length > 0 && (
              <section aria-labelledby="pf-demo-title" className="pf-demo">
                <Divider plain>
                  <span id="pf-demo-title">{t('demoTitle')}</span>
                </Divider>
                <p className="pf-demo-hint">{t('demoHint')}</p>
                <ul className="pf-demo-list">
                  {options.data.demo_people.map((person) => (
                    <li key={person.user_id}>
                      <Button
                        block
                        className="pf-demo-person"
                        aria-label={t('signInAs', { name: localized(person.name, i18n.language) })}
                        loading={demo.isPending && demoUser === person.user_id}
                        disabled={demo.isPending}
                        onClick={() => {
                          setDemoUser(person.user_id);
                          demo.mutate(
                            { ...(tenantKey ? { tenant: tenantKey } : {}), user_id: person.user_id },
                            { onSuccess: signedIn },
                          );
                        }}
                      >
                        <span className="pf-demo-name">{localized(person.name, i18n.language)}</span>
                        <span className="pf-demo-role">{localized(person.title, i18n.language)}</span>
                      </Button>
                    </li>
                  ))}
                </ul>
              </section>
            )}
          </>
        )}
      </Card>
    </main>
  );
}
