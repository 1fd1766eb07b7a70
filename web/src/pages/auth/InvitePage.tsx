import { Link, useNavigate, useParams } from 'react-router-dom';
import { Alert, Button, Card, Form, Input, Skeleton, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAcceptInvite, useInvite } from '../../api/session';
import { useTenantPrefix } from '../../app/paths';
import { describeError, violationsByField } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { localized } from '../../lib/language';
import './auth.css';

interface InviteForm {
  password: string;
  confirm: string;
}

/** `/invite/:token`: the invited person sets a password and is signed in. */
export default function InvitePage() {
  const { t, i18n } = useTranslation(['auth', 'errors']);
  const { token = '' } = useParams();
  const prefix = useTenantPrefix();
  const navigate = useNavigate();
  const invite = useInvite(token);
  const accept = useAcceptInvite(token);
  const fieldErrors = violationsByField(accept.error);

  return (
    <main className="pf-auth" id="main">
      <Card className="pf-auth-card">
        <Typography.Title level={1} className="pf-auth-title">
          {t('inviteTitle')}
        </Typography.Title>
        {invite.isPending && <Skeleton active />}
        {invite.isError && (
          <>
            <Alert type="error" showIcon role="alert" title={describeError(t, invite.error)} />
            <p>
              <Link to={`${prefix}/sign-in`}>{t('toSignIn')}</Link>
            </p>
          </>
        )}
        {invite.data && (
          <>
            <p className="pf-auth-tenant">
              {t('inviteFor', {
                name: localized(invite.data.person.name, i18n.language),
                tenant: invite.data.tenant.name,
              })}
              <br />
              {t('inviteExpires', { date: formatDateTime(invite.data.expires_at, i18n.language) })}
            </p>
            {accept.error && (
              <Alert
                type="error"
                showIcon
                role="alert"
                title={describeError(t, accept.error)}
                className="pf-auth-alert"
              />
            )}
            <Form<InviteForm>
              layout="vertical"
              requiredMark={false}
              onFinish={(values) => {
                accept.mutate(
                  { password: values.password },
                  {
                    onSuccess: () =>
                      void navigate(
                        `/t/${encodeURIComponent(invite.data.tenant.tenant_key)}/approval-center/todo`,
                        {
                          replace: true,
                        },
                      ),
                  },
                );
              }}
            >
              <Form.Item
                name="password"
                label={t('newPassword')}
                extra={t('passwordLength')}
                rules={[{ required: true, min: 8, max: 200, message: t('passwordLength') }]}
                {...(fieldErrors.password ? { validateStatus: 'error', help: fieldErrors.password } : {})}
              >
                <Input.Password autoComplete="new-password" />
              </Form.Item>
              <Form.Item
                name="confirm"
                label={t('confirmPassword')}
                dependencies={['password']}
                rules={[
                  { required: true, message: t('passwordsDiffer') },
                  ({ getFieldValue }) => ({
                    validator: (_rule, value) =>
                      value === getFieldValue('password')
                        ? Promise.resolve()
                        : Promise.reject(new Error(t('passwordsDiffer'))),
                  }),
                ]}
              >
                <Input.Password autoComplete="new-password" />
              </Form.Item>
              <Button type="primary" htmlType="submit" block loading={accept.isPending}>
                {t('setPassword')}
              </Button>
            </Form>
          </>
        )}
      </Card>
    </main>
  );
}
