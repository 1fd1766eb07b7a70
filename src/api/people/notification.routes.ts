import { Type } from 'typebox';
import type { Services } from '../../services/index.js';
import type { NotificationPreferences } from '../../services/notifications/preferences.js';
import type { HttpApp } from '../http-app.js';
import type { NotificationItem, NotificationPreferencesBody, Page, UnreadCount } from './contract.js';
import { iso, personRef } from './render.js';
import { sendPeopleFailure } from './reply.js';
import { personOf } from './index.js';
import { decodePeopleCursor, encodePeopleCursor, PageTokenQuery } from './paging.js';

const Id = Type.String({ pattern: '^\\d{1,19}$' });
const ListQuery = Type.Object(
  {
    unread: Type.Optional(Type.Boolean()),
    page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    page_token: Type.Optional(PageTokenQuery),
  },
  { additionalProperties: false },
);
// Kinds, channels and values are checked by the service, which names each bad field.
const PreferencesBody = Type.Object(
  {
    channels: Type.Optional(
      Type.Record(
        Type.String({ maxLength: 64 }),
        Type.Record(Type.String({ maxLength: 64 }), Type.Unknown()),
      ),
    ),
    digest: Type.Optional(
      Type.Object(
        {
          daily: Type.Optional(Type.Unknown()),
          hour: Type.Optional(Type.Unknown()),
          time_zone: Type.Optional(Type.Unknown()),
        },
        { additionalProperties: false },
      ),
    ),
    chat_webhook: Type.Optional(
      Type.Union([
        Type.Null(),
        Type.Object(
          { url: Type.Optional(Type.Unknown()), type: Type.Optional(Type.Unknown()) },
          { additionalProperties: false },
        ),
      ]),
    ),
  },
  { additionalProperties: false },
);
const tags = ['people API'];

function preferencesJson(value: {
  preferences: NotificationPreferences;
  emailAvailable: boolean;
}): NotificationPreferencesBody {
  const p = value.preferences;
  return {
    channels: p.channels,
    digest: { daily: p.digestDaily, hour: p.digestHour, time_zone: p.timeZone },
    chat_webhook: p.chatWebhook,
    email_available: value.emailAvailable,
  };
}

/** The signed-in person's notifications (the bell) and notification preferences (docs/notifications.md). */
export function registerNotificationRoutes(app: HttpApp, services: Services): void {
  app.get(
    '/notifications',
    { schema: { querystring: ListQuery, tags, summary: 'My notifications, newest first' } },
    async (request, reply) => {
      const session = personOf(request);
      const q = request.query;
      const unread = q.unread === true;
      const query = `notifications:${unread ? 'unread' : 'all'}`;
      const before = decodePeopleCursor(reply, q.page_token, query);
      if (before === null) return reply;
      const list = await services.notifications.list(session.tenant.id, session.employee.id, {
        unreadOnly: unread,
        pageSize: q.page_size ?? 20,
        before,
      });
      const page: Page<NotificationItem> = {
        items: list.items.map((n) => ({
          notification_id: n.id,
          kind: n.kind,
          process_id: n.processId,
          ...(n.taskId !== null ? { task_id: n.taskId } : {}),
          ...(n.actorId !== null ? { actor: personRef(list.directory, n.actorId) } : {}),
          ...(n.initiatorId !== null ? { initiator: personRef(list.directory, n.initiatorId) } : {}),
          ...(n.flow ? { flow: n.flow } : {}),
          created_at: iso(n.createdAt),
          read: n.readAt !== null,
        })),
        ...(list.nextBefore !== undefined ? { page_token: encodePeopleCursor(list.nextBefore, query) } : {}),
      };
      return page;
    },
  );

  app.get(
    '/notifications/unread-count',
    { schema: { tags, summary: 'How many of my notifications are unread' } },
    async (request) => {
      const session = personOf(request);
      const count: UnreadCount = {
        unread: await services.notifications.unreadCount(session.tenant.id, session.employee.id),
      };
      return count;
    },
  );

  app.post(
    '/notifications/:notification_id/read',
    { schema: { params: Type.Object({ notification_id: Id }), tags, summary: 'Mark one notification read' } },
    async (request, reply) => {
      const session = personOf(request);
      const result = await services.notifications.markRead(
        session.tenant.id,
        session.employee.id,
        request.params.notification_id,
      );
      if (!result.ok) return sendPeopleFailure(reply, result.error);
      return reply.status(204).send();
    },
  );

  app.post(
    '/notifications/read-all',
    { schema: { tags, summary: 'Mark all my notifications read' } },
    async (request) => {
      const session = personOf(request);
      return { updated: await services.notifications.markAllRead(session.tenant.id, session.employee.id) };
    },
  );

  app.get(
    '/me/notification-preferences',
    { schema: { tags, summary: 'My notification preferences' } },
    async (request) => {
      const session = personOf(request);
      return preferencesJson(
        await services.notifications.preferences(session.tenant.id, session.employee.id),
      );
    },
  );

  app.put(
    '/me/notification-preferences',
    { schema: { body: PreferencesBody, tags, summary: 'Change my notification preferences' } },
    async (request, reply) => {
      const session = personOf(request);
      const result = await services.notifications.setPreferences(
        session.tenant.id,
        session.employee.id,
        request.body,
      );
      if (!result.ok) return sendPeopleFailure(reply, result.error);
      return preferencesJson(result.value);
    },
  );
}
