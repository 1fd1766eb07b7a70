import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  NotificationItem,
  NotificationPreferencesBody,
  NotificationPreferencesUpdate,
  Page,
  UnreadCount,
} from '@contract';
import { api } from './client';
import { queryKeys } from './keys';

/** The bell's unread count (refetched when the live stream says a notification arrived). */
export function useUnreadCount() {
  return useQuery({
    queryKey: queryKeys.notificationCount,
    queryFn: () => api.get<UnreadCount>('/notifications/unread-count'),
  });
}

/** The newest notifications, one page (the bell's list; older ones are a page token away). */
export function useNotifications(unreadOnly: boolean, enabled: boolean) {
  return useQuery({
    queryKey: [...queryKeys.notifications, unreadOnly],
    enabled,
    queryFn: () =>
      api.get<Page<NotificationItem>>('/notifications', {
        query: { page_size: '30', ...(unreadOnly ? { unread: 'true' } : {}) },
      }),
  });
}

/** Marks one notification read, or all of them with the id `all`. */
export function useMarkRead() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      id === 'all' ? api.post('/notifications/read-all') : api.post(`/notifications/${id}/read`),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: queryKeys.notifications });
      void client.invalidateQueries({ queryKey: queryKeys.notificationCount });
    },
  });
}

export function useNotificationPreferences() {
  return useQuery({
    queryKey: queryKeys.notificationPreferences,
    queryFn: () => api.get<NotificationPreferencesBody>('/me/notification-preferences'),
  });
}

export function useSaveNotificationPreferences() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (update: NotificationPreferencesUpdate) =>
      api.put<NotificationPreferencesBody>('/me/notification-preferences', update),
    onSuccess: (saved) => {
      client.setQueryData(queryKeys.notificationPreferences, saved);
    },
  });
}
