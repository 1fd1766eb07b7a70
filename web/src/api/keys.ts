import type { InboxTab } from '@contract';

/** TanStack Query keys shared by pages and the live stream (WEB-PLAN: invalidated on each change). */
export const queryKeys = {
  me: ['me'] as const,
  signInOptions: (tenant: string | undefined) => ['sign-in-options', tenant ?? ''] as const,
  inbox: ['inbox'] as const,
  inboxTab: (tab: InboxTab, params: Record<string, string>) => ['inbox', tab, params] as const,
  inboxCounts: ['inbox-counts'] as const,
  process: (processId: string) => ['process', processId] as const,
  flows: ['flows'] as const,
  delegationsAll: ['delegations'] as const,
  delegations: (pageToken: string | undefined) => ['delegations', pageToken ?? ''] as const,
  notifications: ['notifications'] as const,
  notificationCount: ['notification-count'] as const,
  notificationPreferences: ['notification-preferences'] as const,
};
