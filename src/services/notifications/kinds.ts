/**
 * What a person is told about, and how (docs/notifications.md). Shared by the planner, the
 * preferences' validation, the senders' templates and the people API.
 */
export const NOTIFICATION_KINDS = [
  'task_assigned',
  'reminder',
  'urged',
  'escalated',
  'transferred_to_you',
  'added_to_sign',
  'returned_to_you',
  'mentioned',
  'cc',
  'request_approved',
  'request_rejected',
  'request_completed',
  'action_failed',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const NOTIFICATION_CHANNELS = ['in_app', 'email', 'chat'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

export const CHAT_WEBHOOK_TYPES = ['feishu', 'generic'] as const;
export type ChatWebhookType = (typeof CHAT_WEBHOOK_TYPES)[number];

export const isNotificationKind = (text: string): text is NotificationKind =>
  (NOTIFICATION_KINDS as readonly string[]).includes(text);
export const isNotificationChannel = (text: string): text is NotificationChannel =>
  (NOTIFICATION_CHANNELS as readonly string[]).includes(text);

/** One notification for one person, before it is stored. */
export interface PlannedNotification {
  recipientId: string;
  kind: NotificationKind;
  processId: string;
  taskId?: string | undefined;
  /** Who caused it; absent when the system did (a timer, an automatic pass). */
  actorId?: string | undefined;
}
