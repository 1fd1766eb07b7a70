import { Suspense } from 'react';
import { NavLink, Outlet } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../app/me';
import { useAppPath } from '../../app/paths';
import { PageLoading } from '../../app/Layout';
import { Problem } from '../../components/Problem';
import './console.css';

/**
 * The admin console: a side navigation (a row of links on a phone) and the page. Tenant admins see
 * every place; process admins only Flows and Processes, limited to their flows by the server.
 */
export default function ConsoleLayout() {
  const { t } = useTranslation('console');
  const me = useMe();
  const appPath = useAppPath();
  const tenantAdmin = me.console.tenant_admin;
  if (!tenantAdmin && me.console.flow_ids.length === 0)
    return <Problem title={t('noAccessTitle')} text={t('noAccessText')} />;
  const places: { to: string; label: string }[] = [
    { to: '/console/flows', label: t('navFlows') },
    { to: '/console/processes', label: t('navProcesses') },
    ...(tenantAdmin
      ? [
          { to: '/console/directory', label: t('navDirectory') },
          { to: '/console/apps', label: t('navApps') },
          { to: '/console/deliveries', label: t('navDeliveries') },
          { to: '/console/leave', label: t('navLeave') },
          { to: '/console/calendar', label: t('navCalendar') },
          { to: '/console/smtp', label: t('navSmtp') },
        ]
      : []),
  ];
  return (
    <div className="pf-console">
      <nav aria-label={t('consoleNavigation')} className="pf-console-nav">
        {places.map((place) => (
          <NavLink key={place.to} to={appPath(place.to)} className="pf-console-nav-link">
            {place.label}
          </NavLink>
        ))}
      </nav>
      <section className="pf-console-page">
        <Suspense fallback={<PageLoading />}>
          <Outlet />
        </Suspense>
      </section>
    </div>
  );
}
