import { useEffect } from 'react';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { parseLiveMessage, reconnectDelayMs } from '../lib/live';
import { API_BASE } from './client';
import { queryKeys } from './keys';

function refresh(client: QueryClient, data: string): void {
  const change = parseLiveMessage(data);
  if (!change) return;
  if (change.inbox) {
    void client.invalidateQueries({ queryKey: queryKeys.inbox });
    void client.invalidateQueries({ queryKey: queryKeys.inboxCounts });
  }
  for (const id of change.processIds) void client.invalidateQueries({ queryKey: queryKeys.process(id) });
}

/**
 * Live updates while signed in: `GET /api/v1/events` (SSE) invalidates the queries a change touches.
 * The browser retries a dropped stream by itself; when the server refuses it (a restart mid-deploy,
 * a 5xx) the EventSource closes for good, so we reopen it with a growing delay. After any reconnect
 * everything is refetched, as changes may have been missed meanwhile.
 */
export function useLiveUpdates(enabled: boolean): void {
  const client = useQueryClient();
  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') return;
    let source: EventSource | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    let stopped = false;
    let opened = false;

    const onMessage = (event: MessageEvent<string>) => {
      refresh(client, event.data);
    };
    const connect = () => {
      source = new EventSource(`${API_BASE}/events`, { withCredentials: true });
      source.addEventListener('changed', onMessage);
      source.addEventListener('change', onMessage);
      // A new in-app notification: the bell's count and list refetch.
      source.addEventListener('notification', () => {
        void client.invalidateQueries({ queryKey: queryKeys.notificationCount });
        void client.invalidateQueries({ queryKey: queryKeys.notifications });
      });
      source.onopen = () => {
        if (opened) {
          void client.invalidateQueries({ queryKey: queryKeys.inbox });
          void client.invalidateQueries({ queryKey: queryKeys.inboxCounts });
          void client.invalidateQueries({ queryKey: ['process'] });
          void client.invalidateQueries({ queryKey: queryKeys.notificationCount });
        }
        opened = true;
        attempt = 0;
      };
      source.onerror = () => {
        if (stopped || source?.readyState !== EventSource.CLOSED) return;
        source.close();
        timer = setTimeout(connect, reconnectDelayMs(attempt++));
      };
    };
    connect();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      source?.close();
    };
  }, [client, enabled]);
}
