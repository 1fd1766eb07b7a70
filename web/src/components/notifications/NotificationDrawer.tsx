import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { Button, Drawer, Empty, List, Spin, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import type { NotificationItem } from '@contract';
import { useMarkRead, useNotifications } from '../../api/notifications';
import { useAppPath } from '../../app/paths';
import { formatDateTime } from '../../lib/format';
import { localized } from '../../lib/language';
import './notifications.css';

/** The bell's list: newest first; a click marks it read and opens the process. */
export default function NotificationDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t, i18n } = useTranslation('notifications');
  const [unreadOnly, setUnreadOnly] = useState(false);
  const list = useNotifications(unreadOnly, open);
  const markRead = useMarkRead();
  const navigate = useNavigate();
  const appPath = useAppPath();
  const name = (ref: NotificationItem['actor']) => (ref ? localized(ref.name, i18n.language) : t('system'));
  const sentence = (n: NotificationItem) => {
    // A request's first task comes from its initiator: their name is said once, not as actor and initiator.
    const fromInitiator =
      n.kind === 'task_assigned' && n.actor !== undefined && n.actor.user_id === n.initiator?.user_id;
    return t(fromInitiator ? 'kindFromInitiator.task_assigned' : `kind.${n.kind}`, {
      actor: name(n.actor),
      initiator: name(n.initiator),
      flow: n.flow ? localized(n.flow, i18n.language) : n.process_id,
    });
  };
  const openItem = (n: NotificationItem) => {
    if (!n.read) markRead.mutate(n.notification_id);
    onClose();
    void navigate(appPath(`/approval-center/processes/${n.process_id}`));
  };
  const items = list.data?.items ?? [];
  return (
    <Drawer
      title={t('title')}
      open={open}
      onClose={onClose}
      size="default"
      className="pf-notifications"
      extra={
        <Button
          size="small"
          onClick={() => {
            markRead.mutate('all');
          }}
          disabled={items.every((n) => n.read)}
        >
          {t('markAllRead')}
        </Button>
      }
    >
      <label className="pf-notifications-filter">
        <Switch size="small" checked={unreadOnly} onChange={setUnreadOnly} /> {t('unreadOnly')}
      </label>
      {list.isPending ? (
        <Spin />
      ) : items.length === 0 ? (
        <Empty description={t('empty')} />
      ) : (
        <List
          dataSource={items}
          rowKey="notification_id"
          renderItem={(n) => (
            <List.Item
              className={n.read ? 'pf-notification' : 'pf-notification pf-notification-unread'}
              actions={
                n.read
                  ? []
                  : [
                      <Button
                        key="read"
                        type="link"
                        size="small"
                        onClick={() => {
                          markRead.mutate(n.notification_id);
                        }}
                      >
                        {t('markRead')}
                      </Button>,
                    ]
              }
            >
              <button
                type="button"
                className="pf-notification-open"
                onClick={() => {
                  openItem(n);
                }}
              >
                <span className="pf-notification-text">{sentence(n)}</span>
                <time className="pf-notification-time" dateTime={n.created_at}>
                  {formatDateTime(n.created_at, i18n.language)}
                </time>
              </button>
            </List.Item>
          )}
        />
      )}
    </Drawer>
  );
}
