import { useEffect, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { Button, Spin } from 'antd';
import { Problem } from '../components/Problem';
import { useTranslation } from 'react-i18next';
import { useMeQuery } from '../api/session';
import { rememberCsrfToken } from '../api/client';
import { applyLanguage } from '../i18n';
import { signInPath } from '../lib/returnTo';
import { describeError } from '../lib/errors';
import { MeContext } from './me';
import { sessionExpired } from './sessionExpiry';
import { useTenantKey, useTenantPrefix } from './paths';

/** Pages behind it need a session: `GET /api/v1/me`, and on 401 the sign-in page with `return_to`. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const me = useMeQuery();
  const location = useLocation();
  const prefix = useTenantPrefix();
  const tenantKey = useTenantKey();
  const { t } = useTranslation(['common', 'errors']);

  useEffect(() => {
    if (me.data) {
      rememberCsrfToken(me.data.csrf_token);
      applyLanguage(me.data.language);
    }
  }, [me.data]);

  if (me.isPending) {
    return (
      <div className="pf-center" role="status" aria-live="polite">
        <Spin />
        <span className="pf-visually-hidden">{t('common:loading')}</span>
      </div>
    );
  }
  if (me.isError) {
    return (
      <main className="pf-center">
        <Problem
          title={describeError(t, me.error)}
          action={<Button onClick={() => void me.refetch()}>{t('common:retry')}</Button>}
        />
      </main>
    );
  }
  // Signed out, or signed in to another tenant than the URL names.
  if (!me.data || (tenantKey !== undefined && me.data.tenant.tenant_key !== tenantKey)) {
    const path = signInPath(prefix, location.pathname + location.search);
    return <Navigate to={sessionExpired() ? `${path}&error=session_expired` : path} replace />;
  }
  return <MeContext.Provider value={me.data}>{children}</MeContext.Provider>;
}
