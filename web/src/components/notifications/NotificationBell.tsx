import { lazy, Suspense, useState } from 'react';
import { Button, Spin } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useUnreadCount } from '../../api/notifications';
import { loadCatalogues } from '../../i18n';

// The list (and its catalogue) loads on the first open: the approval center's first download stays small.
const NotificationDrawer = lazy(() =>
  loadCatalogues(['notifications']).then(() => import('./NotificationDrawer')),
);

/** The header's bell: the unread count, live; opens the list. */
export function NotificationBell() {
  const { t } = useTranslation('common');
  const count = useUnreadCount().data?.unread ?? 0;
  const [open, setOpen] = useState(false);
  const [opened, setOpened] = useState(false);
  return (
    <>
      <span className="pf-bell-wrap">
        <Button
          type="text"
          icon={<BellOutlined aria-hidden />}
          aria-label={count > 0 ? t('unreadNotifications', { count }) : t('notifications')}
          className="pf-bell"
          onClick={() => {
            setOpened(true);
            setOpen(true);
          }}
        />
        {/* A plain badge: antd's animated Badge would cost the first load more than it is worth. */}
        {count > 0 && (
          <span className="pf-bell-count" aria-hidden>
            {count > 99 ? '99+' : count}
          </span>
        )}
      </span>
      {opened && (
        <Suspense fallback={open ? <Spin size="small" /> : null}>
          <NotificationDrawer
            open={open}
            onClose={() => {
              setOpen(false);
            }}
          />
        </Suspense>
      )}
    </>
  );
}
