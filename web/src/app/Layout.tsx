import { Suspense } from 'react';
import { NavLink, Outlet, useNavigate } from 'react-router-dom';
import { Button, Spin } from 'antd';
import { PlusOutlined, UserOutlined, InboxOutlined, SettingOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useLiveUpdates } from '../api/live';
import { NotificationBell } from '../components/notifications/NotificationBell';
import { localized } from '../lib/language';
import { useMe } from './me';
import { useAppPath } from './paths';

/** Header with the main places; a skip link; the page below. Fits a 375 px phone. */
export function Layout() {
  const { t, i18n } = useTranslation('common');
  const me = useMe();
  const appPath = useAppPath();
  const navigate = useNavigate();
  useLiveUpdates(true);
  return (
    <div className="pf-shell">
      <a className="pf-skip" href="#main">
        {t('skipToContent')}
      </a>
      <header className="pf-header">
        <NavLink to={appPath('/approval-center/todo')} className="pf-brand">
          PeopleFlow
        </NavLink>
        <nav aria-label={t('mainNavigation')} className="pf-nav">
          <NavLink to={appPath('/approval-center/todo')} className="pf-nav-link">
            <InboxOutlined aria-hidden />
            <span className="pf-nav-text">{t('approvalCenter')}</span>
          </NavLink>
          {(me.console.tenant_admin || me.console.flow_ids.length > 0) && (
            <NavLink to={appPath('/console')} className="pf-nav-link">
              <SettingOutlined aria-hidden />
              <span className="pf-nav-text">{t('console:navConsole')}</span>
            </NavLink>
          )}
          <NavLink to={appPath('/profile')} className="pf-nav-link" aria-label={t('profile')}>
            <UserOutlined aria-hidden />
            <span className="pf-nav-text">{localized(me.person.name, i18n.language)}</span>
          </NavLink>
        </nav>
        <NotificationBell />
        <Button
          type="primary"
          icon={<PlusOutlined aria-hidden />}
          onClick={() => void navigate(appPath('/approval-center/new'))}
        >
          <span className="pf-new-request-text">{t('newRequest')}</span>
        </Button>
      </header>
      <main id="main" className="pf-main" tabIndex={-1}>
        <Suspense fallback={<PageLoading />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}

export function PageLoading() {
  const { t } = useTranslation('common');
  return (
    <div className="pf-center" role="status">
      <Spin />
      <span className="pf-visually-hidden">{t('loading')}</span>
    </div>
  );
}
